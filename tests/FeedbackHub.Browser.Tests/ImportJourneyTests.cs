using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>A marketer uploads a CSV file, checks the column preview, imports it and reads the result.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Marketer_UploadsPreviewsAndImports_SeesCountsAndRejectedRows()
    {
        await _app.CreateStaffAsync("marketer@example.com", StaffRoles.Marketer);
        var file = Path.Combine(_app.DataDirectory, "klanten.csv");
        await File.WriteAllTextAsync(file, "External_ID;Email;first_name;schoenmaat\nc-1;anna@example.nl;Anna;38\nc-2;geen-email;Bob;44\nc-3;carla@example.nl;Carla;40\n");
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "marketer@example.com", FeedbackHubFactory.Password);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to FeedbackHub" })).ToBeVisibleAsync();

        await page.GotoAsync("/import");
        await page.GetByLabel("CSV file").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import klanten.csv" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Ignored column(s): schoenmaat")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "External_ID → external_id" })).ToBeVisibleAsync();
        // The preview page is interactive; its button is enabled once the circuit is up.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start import" })).ToBeEnabledAsync();
        await page.GetByLabel("Dry run: check and count, store nothing").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start import" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dry run finished: nothing was stored" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Import for real" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import finished" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".tile", new() { HasText = "Inserted" })).ToContainTextAsync("2");
        await Assertions.Expect(page.Locator(".tile", new() { HasText = "Rejected" })).ToContainTextAsync("1");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "c-2" })).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download all 1 rejected rows (CSV)" }).ClickAsync());
        var report = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("geen-email", report, StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();
}
