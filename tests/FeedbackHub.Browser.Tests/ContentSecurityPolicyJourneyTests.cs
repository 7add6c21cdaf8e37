using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.DemoData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>
/// The Content-Security-Policy in real Chromium: the staff pages (with Blazor's circuit, Radzen charts
/// and sandboxed email previews), the login form and the survey all work under it, and the browser
/// reports no violation on any of them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Admin_UsesTheStaffPages_WithoutAnyPolicyViolation()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoDataGenerator>().SeedAsync(new DemoDataOptions { Customers = 300 }, progress: null, CancellationToken.None);
        }

        await _app.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await using var context = await browser.NewContextAsync(_app);
        var violations = await WatchViolationsAsync(context);
        var page = await context.NewPageAsync();

        await BrowserFixture.LogInAsync(page, "admin@example.com", FeedbackHubFactory.Password);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to FeedbackHub" })).ToBeVisibleAsync();
        foreach (var path in new[] { "/dashboards", "/dashboards/cohorts", "/dashboards/churn-reasons", "/dashboards/campaigns", "/dashboards/customers", "/admin/staff" })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        }

        // The circuit runs (its buttons turn on only when interactive) and the charts drew their SVG.
        await page.GotoAsync("/dashboards");
        await Assertions.Expect(page.Locator(".rz-chart svg").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GotoAsync("/campaigns/new");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add a variant" })).ToBeEnabledAsync(new() { Timeout = 30_000 });
        // Email previews are srcdoc frames, which inherit the page's policy; emails style themselves inline.
        await page.GotoAsync("/admin/email-templates");
        await Assertions.Expect(page.Locator("iframe.mail-preview").First.ContentFrame.Locator("body")).Not.ToBeEmptyAsync(new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Customer_AnswersTheSurvey_WithoutAnyPolicyViolation(bool javaScript)
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_app.Services, "csp@example.com");
        var link = await ExitSurveys.LinkPathAsync(_app.Services, "csp@example.com");
        await using var context = await browser.NewPhoneContextAsync(_app, javaScript);
        var violations = await WatchViolationsAsync(context);
        var page = await context.NewPageAsync();

        await page.GotoAsync(link);
        await page.GetByLabel("The price").CheckAsync();
        await page.GetByLabel("8", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you!" })).ToBeVisibleAsync();
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    public void Dispose() => _app.Dispose();

    /// <summary>
    /// Every violation Chromium reports: its console message and, where scripts run, the page's own
    /// securitypolicyviolation event (installed by Playwright, which the policy does not govern).
    /// </summary>
    private static async Task<List<string>> WatchViolationsAsync(IBrowserContext context)
    {
        var violations = new List<string>();
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));");
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.StartsWith("CSP violation", StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add($"{message.Location}: {message.Text}");
                }
            }
        };
        return violations;
    }
}
