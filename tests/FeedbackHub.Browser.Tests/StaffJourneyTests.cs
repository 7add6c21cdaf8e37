using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>Real Chromium against the real app on Kestrel: static login forms and the interactive staff page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Admin_InvitesMarketer_WhoSetsAPasswordAndIsKeptOutOfStaffManagement()
    {
        await _app.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await using var adminContext = await browser.NewContextAsync(_app);
        var admin = await adminContext.NewPageAsync();

        await BrowserFixture.LogInAsync(admin, "admin@example.com", FeedbackHubFactory.Password);
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Welcome to FeedbackHub" })).ToBeVisibleAsync();

        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Staff" })).ToHaveAttributeAsync("href", "admin/staff");
        await admin.GotoAsync("/admin/staff");
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Staff", Exact = true })).ToBeVisibleAsync();
        // The staff page is interactive; its buttons are enabled once the circuit is up.
        await Assertions.Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Invite" })).ToBeEnabledAsync();
        await admin.GetByLabel("Email", new() { Exact = true }).FillAsync("marketer@example.com");
        await admin.GetByRole(AriaRole.Group, new() { Name = "Roles" }).GetByLabel("Marketer").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var linkField = admin.GetByLabel("One-time link");
        await Assertions.Expect(linkField).ToBeVisibleAsync();
        var link = await linkField.InputValueAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "marketer@example.com", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByText("Invited", new() { Exact = true })).ToBeVisibleAsync();

        await using var marketerContext = await browser.NewContextAsync(_app);
        var marketer = await marketerContext.NewPageAsync();
        await marketer.GotoAsync(link);
        await marketer.GetByLabel("Password", new() { Exact = true }).FillAsync("violet harbour under the bridge");
        await marketer.GetByLabel("Password again").FillAsync("violet harbour under the bridge");
        await marketer.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Assertions.Expect(marketer.GetByText("Your password is set")).ToBeVisibleAsync();

        await BrowserFixture.LogInAsync(marketer, "marketer@example.com", "violet harbour under the bridge");
        await Assertions.Expect(marketer.GetByRole(AriaRole.Heading, new() { Name = "Welcome to FeedbackHub" })).ToBeVisibleAsync();
        await Assertions.Expect(marketer.GetByRole(AriaRole.Link, new() { Name = "Staff" })).ToHaveCountAsync(0);
        var forbidden = await marketer.GotoAsync("/admin/staff");
        Assert.Equal(403, forbidden!.Status);
        await Assertions.Expect(marketer.GetByRole(AriaRole.Heading, new() { Name = "No access" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Login_WithJavaScriptDisabled_StillWorks()
    {
        await _app.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await using var context = await browser.NewContextAsync(_app, javaScript: false);
        var page = await context.NewPageAsync();

        await BrowserFixture.LogInAsync(page, "admin@example.com", FeedbackHubFactory.Password);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to FeedbackHub" })).ToBeVisibleAsync();
    }

    public void Dispose() => _app.Dispose();
}
