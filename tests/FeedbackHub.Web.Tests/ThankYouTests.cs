using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Orders come in through ingest; thank-yous go out through the outbox to a real SMTP server (MailDev).</summary>
[Collection(PostgresCollection.Name)]
public sealed class ThankYouTests(PostgresServer postgres) : IAsyncLifetime, IDisposable
{
    private readonly MailDevServer _mailDev = new();

    public Task InitializeAsync() => _mailDev.InitializeAsync();

    public Task DisposeAsync() => _mailDev.DisposeAsync();

    public void Dispose() => _mailDev.Dispose();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task OrderIn_EmailWithAValidCodeArrives_InTheCustomersLanguage(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var email = new EmailHarness(database);
        var campaign = await StartCampaignAsync(email, new CampaignInput { Name = "Thanks", CodePrefix = "THX", DiscountValue = 10, MinimumOrderValue = 25, HoldoutShare = 0 });
        await CustomerAsync(email, "c-1", "anna@example.nl", "nl");

        await OrderAsync(email, "o-1", "c-1");
        await SendAllAsync(email);

        var code = await SingleCodeAsync(database);
        Assert.StartsWith("THX", code.Code, StringComparison.Ordinal);
        Assert.Equal((10m, 25m), (code.DiscountValue, code.MinimumOrderValue));
        var source = await SingleEmailTextAsync("anna@example.nl");
        Assert.Contains(DiscountCodeFormat.Display(code.Code, "THX"), source, StringComparison.Ordinal);
        Assert.Contains("10% korting", source, StringComparison.Ordinal);
        await using var scope = email.Services.CreateAsyncScope();
        var check = await scope.ServiceProvider.GetRequiredService<DiscountCodes>().CheckAsync(DiscountCodeFormat.Display(code.Code, "THX"), 30, CancellationToken.None);
        Assert.True(check.Usable, check.Message);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Contains("vanaf € 25,00", (await db.OutboxEmails.SingleAsync()).TextBody, StringComparison.Ordinal);
        var decision = await db.ThankYous.SingleAsync();
        Assert.Equal((campaign.Id, ThankYouOutcome.Code, code.Id), (decision.CampaignId, decision.Outcome, decision.DiscountCodeId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task HoldoutCustomer_GetsTheThankYouWithoutACode(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var email = new EmailHarness(database);
        var campaign = await StartCampaignAsync(email, new CampaignInput { Name = "Thanks", DiscountValue = 10, HoldoutShare = 0.5m });
        var customerId = await CustomerAsync(email, "c-1", "ben@example.com", "en");
        await PutInHoldoutAsync(database, campaign.Id, customerId);

        await OrderAsync(email, "o-1", "c-1");
        await SendAllAsync(email);

        var source = await SingleEmailTextAsync("ben@example.com");
        Assert.Contains("Thank you for shopping at", source, StringComparison.Ordinal);
        Assert.DoesNotContain("off your next order", source, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.DiscountCodes.CountAsync());
        Assert.Equal(ThankYouOutcome.HoldoutThankYou, (await db.ThankYous.SingleAsync()).Outcome);
    }

    [Fact]
    public async Task HoldoutWithNoEmail_SendsNothing_ButCountsTheDecision()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        var campaign = await StartCampaignAsync(email, new CampaignInput { Name = "Thanks", DiscountValue = 10, HoldoutShare = 0.5m, HoldoutTreatment = HoldoutTreatment.NoEmail });
        await PutInHoldoutAsync(database, campaign.Id, await CustomerAsync(email, "c-1", "ben@example.com", "en"));

        await OrderAsync(email, "o-1", "c-1");

        await using var db = database.CreateContext();
        Assert.Equal(0, await db.OutboxEmails.CountAsync());
        Assert.Equal(ThankYouOutcome.HoldoutNoEmail, (await db.ThankYous.SingleAsync()).Outcome);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task UnsubscribedCustomer_GetsNothing_AndTheSkipIsRecorded(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var email = new EmailHarness(database);
        await StartCampaignAsync(email, new CampaignInput { Name = "Thanks", DiscountValue = 10, HoldoutShare = 0 });
        await CustomerAsync(email, "c-1", "gone@example.com", "en");
        await using (var scope = email.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await scope.ServiceProvider.GetRequiredService<EmailConsent>()
                .SuppressAsync("gone@example.com", SuppressionScope.Offers, SuppressionReason.Unsubscribed, "one-click", email.Time.GetUtcNow(), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await OrderAsync(email, "o-1", "c-1");
        await SendAllAsync(email);

        Assert.Empty(await _mailDev.EmailsAsync());
        await using var check = database.CreateContext();
        var row = await check.OutboxEmails.SingleAsync();
        Assert.Equal(OutboxStatus.Skipped, row.Status);
        Assert.StartsWith("suppressed: Unsubscribed", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExcludedCustomers_AreCounted_NotSilentlyDropped()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await StartCampaignAsync(email, new CampaignInput
        {
            Name = "Thanks", DiscountValue = 10, HoldoutShare = 0, Qualifying = QualifyingOrders.EveryOrder, ExcludeDiscountShareAbove = 0.5m,
        });
        await CustomerAsync(email, "c-flagged", "flagged@example.com", "en");
        await CustomerAsync(email, "c-hunter", "hunter@example.com", "en");
        await using (var db = database.CreateContext())
        {
            await db.Customers.Where(c => c.ExternalId == "c-flagged").ExecuteUpdateAsync(s => s.SetProperty(c => c.FlaggedBySupport, true));
        }

        // Two earlier orders, both with a discount: 2 of 2 is above the 50 % threshold.
        await OrderAsync(email, "h-1", "c-hunter", placedAgo: TimeSpan.FromDays(60), code: "WELCOME10");
        await OrderAsync(email, "h-2", "c-hunter", placedAgo: TimeSpan.FromDays(30), code: "SPRING20");
        await OrderAsync(email, "h-3", "c-hunter");
        await OrderAsync(email, "f-1", "c-flagged");

        await using var check = database.CreateContext();
        var decisions = await check.ThankYous.OrderBy(t => t.Id).Select(t => new { t.Outcome, t.Reason }).ToListAsync();
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, d => Assert.Equal(ThankYouOutcome.Excluded, d.Outcome));
        Assert.StartsWith("discount-dependent: 2 of 2 earlier orders", decisions[0].Reason, StringComparison.Ordinal);
        Assert.Equal("flagged by support", decisions[1].Reason);
        Assert.Equal(0, await check.OutboxEmails.CountAsync());
        Assert.Equal(0, await check.DiscountCodes.CountAsync());
    }

    [Fact]
    public async Task EveryOrder_SecondOrderResendsTheSameCode_AndAResentOrderIsNotThankedTwice()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await StartCampaignAsync(email, new CampaignInput { Name = "Thanks", DiscountValue = 10, HoldoutShare = 0, Qualifying = QualifyingOrders.EveryOrder });
        await CustomerAsync(email, "c-1", "anna@example.nl", "nl");

        await OrderAsync(email, "o-1", "c-1", placedAgo: TimeSpan.FromHours(2));
        await OrderAsync(email, "o-1", "c-1", placedAgo: TimeSpan.FromHours(2));
        await OrderAsync(email, "o-2", "c-1");

        await using var db = database.CreateContext();
        var code = await db.DiscountCodes.SingleAsync();
        Assert.Equal(2, await db.OutboxEmails.CountAsync(e => e.TextBody.Contains(DiscountCodeFormat.Display(code.Code, null))));
        Assert.Equal(2, await db.ThankYous.CountAsync(t => t.DiscountCodeId == code.Id));
    }

    [Fact]
    public async Task OldOrders_FromAHistoryImport_EarnNoThankYou()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await StartCampaignAsync(email, new CampaignInput { Name = "Thanks", DiscountValue = 10, HoldoutShare = 0, StartsAt = email.Time.GetUtcNow().AddYears(-1) });
        await CustomerAsync(email, "c-1", "anna@example.nl", "nl");

        await OrderAsync(email, "o-1", "c-1", placedAgo: TimeSpan.FromDays(40));

        await using var db = database.CreateContext();
        Assert.Equal(0, await db.ThankYous.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task IngestedOrderCarryingOurCode_RedeemsIt_OnlyOnce(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var email = new EmailHarness(database);
        await StartCampaignAsync(email, new CampaignInput { Name = "Thanks", CodePrefix = "THX", DiscountValue = 10, HoldoutShare = 0 });
        await CustomerAsync(email, "c-1", "anna@example.nl", "nl");
        await OrderAsync(email, "o-1", "c-1", placedAgo: TimeSpan.FromHours(5));
        var issued = await SingleCodeAsync(database);
        var typed = DiscountCodeFormat.Display(issued.Code, "THX").ToLowerInvariant();

        await OrderAsync(email, "o-2", "c-1", code: typed);
        await OrderAsync(email, "o-3", "c-1", code: typed);

        var code = await SingleCodeAsync(database);
        Assert.Equal("o-2", code.RedeemedOrderExternalId);
        Assert.NotNull(code.RedeemedAt);
    }

    [Fact]
    public async Task Campaign_PausedOrOutsideItsDates_ThanksNobody()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        var campaign = await StartCampaignAsync(email, new CampaignInput
        {
            Name = "Thanks", DiscountValue = 10, HoldoutShare = 0, Qualifying = QualifyingOrders.EveryOrder, StartsAt = email.Time.GetUtcNow().AddHours(-1),
        });
        await CustomerAsync(email, "c-1", "anna@example.nl", "nl");
        await using (var scope = email.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CampaignEditor>().SetStatusAsync(Actor.System, campaign.Id, CampaignAction.Pause, CancellationToken.None);
        }

        await OrderAsync(email, "o-1", "c-1");
        // Before the start: the campaign started an hour ago.
        await using (var scope = email.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CampaignEditor>().SetStatusAsync(Actor.System, campaign.Id, CampaignAction.Resume, CancellationToken.None);
        }

        await OrderAsync(email, "o-2", "c-1", placedAgo: TimeSpan.FromHours(2));

        await using var db = database.CreateContext();
        Assert.Equal(0, await db.ThankYous.CountAsync());
    }

    [Fact]
    public async Task DryRun_CountsTheLast30Days_PerGroup_WithExclusions()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        for (var i = 0; i < 10; i++)
        {
            await CustomerAsync(email, $"c-{i}", $"c{i}@example.com", "en");
            await OrderAsync(email, $"o-{i}", $"c-{i}", placedAgo: TimeSpan.FromDays(i < 8 ? 5 : 45), code: i == 0 ? "WELCOME" : null);
        }

        // c-0's second order follows one with a discount (1 of 1 earlier): discount-dependent above 50 %.
        await OrderAsync(email, "o-0b", "c-0", placedAgo: TimeSpan.FromDays(2));
        await using var scope = email.Services.CreateAsyncScope();
        var editor = scope.ServiceProvider.GetRequiredService<CampaignEditor>();
        var input = new CampaignInput
        {
            Name = "Try", DiscountValue = 10, HoldoutShare = 0.2m, Qualifying = QualifyingOrders.EveryOrder, ExcludeDiscountShareAbove = 0.5m,
            Variants = [new() { Name = "A", Weight = 1 }, new() { Name = "B", Weight = 3 }],
        };

        var result = await editor.DryRunAsync(input, CancellationToken.None);

        Assert.Equal((9, 8, 1), (result.QualifyingOrders, result.QualifyingCustomers, result.ExcludedDiscountDependent));
        Assert.Equal(7, result.Eligible);
        Assert.Equal([("Hold-out", 1), ("A", 1), ("B", 4)], result.Groups.Select(g => (g.Name, g.ExpectedCustomers)));
    }

    private static async Task<CampaignView> StartCampaignAsync(EmailHarness email, CampaignInput input)
    {
        input.StartsAt ??= email.Time.GetUtcNow().AddDays(-1);
        input.SendDelayMinutes = 0;
        await using var scope = email.Services.CreateAsyncScope();
        var editor = scope.ServiceProvider.GetRequiredService<CampaignEditor>();
        var created = await editor.CreateAsync(Actor.System, input, CancellationToken.None);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
        return (await editor.SetStatusAsync(Actor.System, created.Value!.Id, CampaignAction.Resume, CancellationToken.None))!;
    }

    private static async Task<long> CustomerAsync(EmailHarness email, string id, string address, string locale)
    {
        await using var scope = email.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IngestService>().CustomersAsync(
            [new CustomerInput { ExternalId = id, Email = address, FirstName = "Sam", Locale = locale, MarketingConsent = true }],
            IngestChannels.Api, IngestContext.OneItem, CancellationToken.None);
        Assert.Equal(IngestOutcome.Inserted, result[0].Outcome);
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Customers.Where(c => c.ExternalId == id).Select(c => c.Id).SingleAsync();
    }

    private static async Task OrderAsync(EmailHarness email, string id, string customer, TimeSpan? placedAgo = null, string? code = null)
    {
        await using var scope = email.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IngestService>().OrdersAsync(
            [new OrderInput
            {
                ExternalId = id, CustomerExternalId = customer, PlacedAt = email.Time.GetUtcNow() - (placedAgo ?? TimeSpan.FromMinutes(5)),
                Total = 40m, Currency = "EUR", ItemCount = 1, DiscountCode = code,
            }],
            IngestContext.OneItem, CancellationToken.None);
        Assert.NotEqual(IngestOutcome.Rejected, result[0].Outcome);
    }

    private static async Task PutInHoldoutAsync(TestDatabase database, long campaignId, long customerId)
    {
        await using var db = database.CreateContext();
        db.CampaignAssignments.Add(new CampaignAssignment { CampaignId = campaignId, CustomerId = customerId, VariantId = null, AssignedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    private static async Task<DiscountCode> SingleCodeAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.DiscountCodes.SingleAsync();
    }

    private async Task SendAllAsync(EmailHarness email)
    {
        using var transports = EmailHarness.Smtp(_mailDev.SmtpPort);
        await EmailHarness.DrainAsync(email.Dispatcher(transports));
    }

    private async Task<string> SingleEmailTextAsync(string to)
    {
        var only = Assert.Single(await _mailDev.WaitForEmailsAsync(1));
        Assert.Contains(to, only.GetProperty("to")[0].GetProperty("address").GetString(), StringComparison.Ordinal);
        return only.GetProperty("text").GetString()!;
    }
}
