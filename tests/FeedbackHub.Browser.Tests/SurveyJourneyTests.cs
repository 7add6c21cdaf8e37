using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>
/// A churned customer answers the exit survey on a phone in real Chromium: the invitation goes out
/// through the app's own dispatcher to MailDev, the link is read from that email, and every step is
/// checked with axe and saved as a screenshot (bin/…/screenshots/survey).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SurveyJourneyTests(BrowserFixture browser) : IAsyncLifetime, IDisposable
{
    private readonly MailDevServer _mailDev = new();
    private FeedbackHubFactory _app = default!;

    public async Task InitializeAsync()
    {
        await _mailDev.InitializeAsync();
        _app = BrowserFixture.StartApp(new Dictionary<string, string>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = _mailDev.SmtpPort.ToString(CultureInfo.InvariantCulture),
            // No quiet hours: the invitation must go out whatever time of day the suite runs.
            ["Email:Consent:QuietHoursStart"] = "00:00",
            ["Email:Consent:QuietHoursEnd"] = "00:00",
        });
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _mailDev.DisposeAsync();
    }

    public void Dispose() => _mailDev.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Customer_OpensTheEmailedLinkOnAPhone_AnswersAndIsThanked(bool javaScript)
    {
        var shots = Screenshots($"survey-{(javaScript ? "js" : "no-js")}");
        await ExitSurveys.InviteChurnedCustomerAsync(_app.Services, "anna@example.nl", CustomerLocales.Dutch);
        var email = Assert.Single(await _mailDev.WaitForEmailsAsync(1, TimeSpan.FromSeconds(30)));
        var link = ExitSurveys.LinkPath(email.GetProperty("text").GetString()!);
        await using var context = await browser.NewPhoneContextAsync(_app, javaScript);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        // axe runs inside the page, so it needs scripts; the pages are the same static HTML either way, so the scripted run checks them.
        async Task CheckAccessibilityAsync()
        {
            if (javaScript)
            {
                violations.AddRange(await Axe.ViolationsAsync(page));
            }
        }

        await page.GotoAsync(link);

        // The token was swapped for a cookie: it is no longer in the address bar.
        Assert.EndsWith("/survey", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Waarom ben je weggegaan?" })).ToBeVisibleAsync();
        await CheckAccessibilityAsync();
        await page.ScreenshotAsync(new() { Path = shots("1-form-nl.png"), FullPage = true });

        await page.GetByLabel("Wat hadden we beter kunnen doen?").FillAsync("De bezorging was steeds te laat.");
        if (javaScript)
        {
            // Sending without a reason (past the browser's own check): the page names the problem and keeps what was typed.
            await page.EvaluateAsync("() => document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verstuur mijn antwoorden" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Kies de belangrijkste reden.");
            await Assertions.Expect(page.GetByLabel("Wat hadden we beter kunnen doen?")).ToHaveValueAsync("De bezorging was steeds te laat.");
            await CheckAccessibilityAsync();
            await page.ScreenshotAsync(new() { Path = shots("2-problem-nl.png"), FullPage = true });
        }

        await page.GetByLabel("Een slechte ervaring (product, bezorging, website)").CheckAsync();
        await page.GetByLabel("8", new() { Exact = true }).CheckAsync();
        await page.ScreenshotAsync(new() { Path = shots("3-filled-nl.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Verstuur mijn antwoorden" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bedankt!" })).ToBeVisibleAsync();
        await CheckAccessibilityAsync();
        await page.ScreenshotAsync(new() { Path = shots("4-thanks-nl.png"), FullPage = true });

        // The language switch keeps the session.
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you!" })).ToBeVisibleAsync();

        // A link that does not work gets a friendly page that gives nothing away.
        await page.GotoAsync("/s/" + new string('Q', 43));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This survey link does not work" })).ToBeVisibleAsync();
        await CheckAccessibilityAsync();
        await page.ScreenshotAsync(new() { Path = shots("5-not-valid.png"), FullPage = true });

        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await using var scope = _app.Services.CreateAsyncScope();
        var response = await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.SingleAsync();
        Assert.Equal(("experience", "De bezorging was steeds te laat.", (int?)8, "nl"), (response.Reason, response.Comment, response.ComebackLikelihood, response.Locale));
    }

    /// <summary>A folder for this test's screenshots, kept beside the test binaries as artifacts.</summary>
    private static Func<string, string> Screenshots(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        Directory.CreateDirectory(folder);
        return file => Path.Combine(folder, file);
    }
}
