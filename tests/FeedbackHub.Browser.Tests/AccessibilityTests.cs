using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>axe-core (WCAG 2.1 A and AA rules) on every page a person sees so far.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Pages_HaveNoWcagViolations()
    {
        await _app.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        var violations = new List<string>();

        var unsubscribe = new Uri(_app.Services.GetRequiredService<UnsubscribeLinks>().For("customer@example.nl")).PathAndQuery;
        foreach (var path in new[] { "/account/login", "/account/forgot-password", unsubscribe, $"{unsubscribe}?lang=nl&done=saved", "/unsubscribe/not-a-token" })
        {
            await page.GotoAsync(path);
            violations.AddRange(await Axe.ViolationsAsync(page));
        }

        await BrowserFixture.LogInAsync(page, "admin@example.com", FeedbackHubFactory.Password);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to FeedbackHub" })).ToBeVisibleAsync();
        foreach (var path in new[] { "/", "/admin/staff", "/admin/api-keys", "/admin/mail", "/admin/email-templates", "/admin/jobs", "/admin/reason-models", "/surveys/review", "/import", "/campaigns", "/campaigns/new", "/campaigns/win-back", "/surveys/responses", "/admin/survey", "/account/password", "/no-such-page" })
        {
            await page.GotoAsync(path);
            violations.AddRange(await Axe.ViolationsAsync(page));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    public void Dispose() => _app.Dispose();
}
