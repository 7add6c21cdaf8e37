using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>Real Chromium against the real app: a marketer sets up a thank-you campaign, previews it, dry-runs it and starts it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CampaignJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Marketer_CreatesPreviewsDryRunsAndStartsACampaign()
    {
        await _app.CreateStaffAsync("marketer@example.com", StaffRoles.Marketer);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "marketer@example.com", FeedbackHubFactory.Password);

        await page.GotoAsync("/campaigns");
        await Assertions.Expect(page.GetByText("No campaigns yet.")).ToBeVisibleAsync();
        await page.GotoAsync("/campaigns/new");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create as draft" });
        await Assertions.Expect(create).ToBeEnabledAsync();

        // A mistake first: the page names it and keeps what was typed.
        await page.GetByLabel("Campaign name").FillAsync("Winter thanks");
        await page.GetByLabel("Percentage").FillAsync("95");
        await create.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at most 90");
        await Assertions.Expect(page.GetByLabel("Campaign name")).ToHaveValueAsync("Winter thanks");

        await page.GetByLabel("Percentage").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a variant" }).ClickAsync();
        await page.GetByLabel("Intro in Dutch").Nth(1).FillAsync("Speciaal voor jou: {discount} korting op je volgende bestelling.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview emails" }).ClickAsync();
        await Assertions.Expect(page.GetByTitle("B in Nederlands")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTitle("Hold-out in English")).ToBeVisibleAsync();
        await Assertions.Expect(page.FrameLocator("iframe[title='B in Nederlands']").GetByRole(AriaRole.Paragraph).Filter(new() { HasText = "Speciaal voor jou: 10% korting" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run on the last 30 days" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dry run" })).ToBeVisibleAsync();

        await create.ClickAsync();
        await page.WaitForURLAsync("**/campaigns/*");
        var start = page.GetByRole(AriaRole.Button, new() { Name = "Start campaign" });
        await Assertions.Expect(start).ToBeEnabledAsync();
        await start.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Running");

        await page.GotoAsync("/campaigns");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Winter thanks" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Active", new() { Exact = true })).ToBeVisibleAsync();
        var violations = await Axe.ViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    public void Dispose() => _app.Dispose();
}
