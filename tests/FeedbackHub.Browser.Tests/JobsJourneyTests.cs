using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>Real Chromium against the real app: the admin Jobs page with its live scheduler.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JobsJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Admin_RunsAJobNow_SeesTheConfirmationOnAnAccessiblePage()
    {
        await _app.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "admin@example.com", FeedbackHubFactory.Password);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Jobs" })).ToHaveAttributeAsync("href", "admin/jobs");
        // A full load: a link clicked while the home page's circuit is still starting can be undone by it.
        await page.GotoAsync("/admin/jobs");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Jobs", Exact = true })).ToBeVisibleAsync();
        var runNow = page.GetByRole(AriaRole.Button, new() { Name = "Run now: import-uploads-cleanup" });
        // Enabled once the interactive circuit is up.
        await Assertions.Expect(runNow).ToBeEnabledAsync();
        await runNow.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("import-uploads-cleanup was started");
        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.NotEmpty(axe.Passes);
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help}")));
    }

    public void Dispose() => _app.Dispose();
}
