using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>Real Chromium against the real app: an admin rewords the exit survey, a marketer sets up a win-back offer.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SurveyAdministrationJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Admin_AddsAChoice_FixesAMistake_AndSavesVersion2()
    {
        await _app.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "admin@example.com", FeedbackHubFactory.Password);

        await page.GotoAsync("/admin/survey");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save as version 2" });
        await Assertions.Expect(save).ToBeEnabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a choice" }).ClickAsync();
        await page.GetByLabel("Choice 5 key").FillAsync("delivery");
        await page.GetByLabel("Choice 5 in English").FillAsync("Delivery took too long");
        await page.GetByLabel("Title (Dutch)", new() { Exact = true }).FillAsync("Waarom ging je weg?");
        await save.ClickAsync();

        // The Dutch label was forgotten: the page says where, and keeps what was typed.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Choice 5, Dutch label: Fill this in.");
        await Assertions.Expect(page.GetByLabel("Choice 5 in Dutch")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByLabel("Choice 5 key")).ToHaveValueAsync("delivery");
        await page.GetByLabel("Choice 5 in Dutch").FillAsync("De bezorging duurde te lang");
        await page.GetByRole(AriaRole.Button, new() { Name = "Move choice 5 up" }).ClickAsync();
        await save.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved as version 2");
        await Assertions.Expect(page.GetByLabel("Choice 4 key")).ToHaveValueAsync("delivery");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "price, service, experience, delivery, other" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save as version 3" })).ToBeVisibleAsync();
        var violations = await Axe.ViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Marketer_OffersAMessageForServiceWithAHoldout()
    {
        await _app.CreateStaffAsync("marketer@example.com", StaffRoles.Marketer);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "marketer@example.com", FeedbackHubFactory.Password);

        await page.GotoAsync("/campaigns/win-back");
        var service = page.GetByRole(AriaRole.Form, new() { Name = "Offer for The service (customer support, staff)" });
        var save = service.GetByRole(AriaRole.Button, new() { Name = "Save the offer" });
        await Assertions.Expect(save).ToBeEnabledAsync();
        await service.GetByLabel("Make this offer").CheckAsync();
        await service.GetByLabel("Hold-out share (%)").FillAsync("20");
        await service.GetByLabel("Message in English").FillAsync("A team lead will call you this week.");
        await save.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Write what the thank-you page says in Dutch.");

        await service.GetByLabel("Message in Dutch").FillAsync("Een teamleider belt je deze week.");
        await save.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Saved. Customers who choose this reason");
        await page.ReloadAsync();
        await Assertions.Expect(service.GetByLabel("Hold-out share (%)")).ToHaveValueAsync("20");
        await Assertions.Expect(service.GetByLabel("Message in Dutch")).ToHaveValueAsync("Een teamleider belt je deze week.");
        var violations = await Axe.ViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    public void Dispose() => _app.Dispose();
}
