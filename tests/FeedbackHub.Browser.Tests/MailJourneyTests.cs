using FeedbackHub.Data;
using FeedbackHub.Data.Email;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>The Mail page and the email wording page in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MailJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Admin_SeesTheOutbox_PreviewsAnEmail_AndRetriesAFailedOne()
    {
        await _app.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await AddFailedEmailAsync();
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "admin@example.com", FeedbackHubFactory.Password);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Mail", Exact = true })).ToHaveAttributeAsync("href", "admin/mail");
        await page.GotoAsync("/admin/mail");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mail", Exact = true })).ToBeVisibleAsync();
        // Interactive from here: the buttons are enabled once the circuit is up.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Filter" })).ToBeEnabledAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "bounced@example.nl" });
        await Assertions.Expect(row).ToContainTextAsync("Failed");
        await Assertions.Expect(row).ToContainTextAsync("451 try later");

        await row.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        var frame = page.FrameLocator("iframe.mail-preview");
        await Assertions.Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "Hello from the outbox" })).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("queued again");
        await using var scope = _app.Services.CreateAsyncScope();
        var email = await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxEmails.SingleAsync(e => e.IdempotencyKey == "test:failed");
        Assert.NotEqual(OutboxStatus.Failed, email.Status);
    }

    [Fact]
    public async Task Marketer_EditsDutchWording_IsToldAboutAnUnknownPlaceholder_ThenSavesAndSeesThePreview()
    {
        await _app.CreateStaffAsync("marketer@example.com", StaffRoles.Marketer);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "marketer@example.com", FeedbackHubFactory.Password);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Email wording" })).ToHaveAttributeAsync("href", "admin/email-templates");
        await page.GotoAsync("/admin/email-templates");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save English wording" })).ToBeEnabledAsync();
        await page.GetByLabel("Email", new() { Exact = true }).SelectOptionAsync("thank-you");
        await page.GetByLabel("Language to edit").SelectOptionAsync("nl");
        var heading = page.GetByLabel("heading (Heading)");
        await heading.FillAsync("Dank je wel, {voornaam}!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Dutch wording" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Unknown placeholder {voornaam}");

        await heading.FillAsync("Dank je wel, {first_name}!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Dutch wording" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved 1 block");
        await Assertions.Expect(page.FrameLocator("iframe[title='Preview in Dutch']").GetByRole(AriaRole.Heading, new() { Name = "Dank je wel, Sam!" })).ToBeVisibleAsync();
        await Assertions.Expect(page.FrameLocator("iframe[title='Preview in English']").GetByRole(AriaRole.Heading, new() { Name = "Thank you, Sam!" })).ToBeVisibleAsync();
    }

    public void Dispose() => _app.Dispose();

    private async Task AddFailedEmailAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.OutboxEmails.Add(new OutboxEmail
        {
            IdempotencyKey = "test:failed",
            MessageId = "failed.1@example.nl",
            Purpose = EmailPurpose.Offer,
            Status = OutboxStatus.Failed,
            ToAddress = "bounced@example.nl",
            Subject = "A test email",
            HtmlBody = "<html><body><h1>Hello from the outbox</h1></body></html>",
            TextBody = "Hello from the outbox",
            Attempts = 9,
            LastError = "451 try later",
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-3),
            NotBefore = DateTimeOffset.UtcNow.AddDays(-3),
        });
        await db.SaveChangesAsync();
    }
}
