using System.Text.Json;
using FeedbackHub.Classification;
using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Churn;
using FeedbackHub.Web.Features.DemoData;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FeedbackHub.Web.Tests;

public sealed class DemoDataTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 11, 1);
    private static readonly Lazy<TextClassifier> Classifier = new(TextClassifier.LoadDefault);
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public void Invent_SameSeedAndIndex_GivesIdenticalHistory()
    {
        var first = Enumerable.Range(0, 300).Select(i => Describe(World(7).Invent(i))).ToList();
        var second = Enumerable.Range(0, 300).Select(i => Describe(World(7).Invent(i))).ToList();
        var otherSeed = Enumerable.Range(0, 300).Select(i => Describe(World(8).Invent(i))).ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Invent_ThankYouCodes_BringTreatedCustomersBackMoreOftenThanTheHoldout()
    {
        var world = World(3);
        var decisions = Enumerable.Range(0, 20_000).Select(world.Invent)
            .SelectMany(c => c.ThankYous.Where(t => t.Row.CampaignId == world.Campaigns[0].Id).Select(t => (Customer: c.Customer, t.Row, t.Order)))
            .Where(d => d.Row.Outcome is ThankYouOutcome.Code or ThankYouOutcome.HoldoutThankYou && d.Order.PlacedAt < world.End.AddDays(-30))
            .ToList();

        var treated = RepeatShare(decisions.Where(d => d.Row.Outcome == ThankYouOutcome.Code));
        var holdout = RepeatShare(decisions.Where(d => d.Row.Outcome == ThankYouOutcome.HoldoutThankYou));

        Assert.InRange(holdout.Count, 0.07 * decisions.Count, 0.13 * decisions.Count);
        Assert.True(treated.Share > holdout.Share + 0.05, $"Treated customers reorder within 30 days ({treated.Share:P1}) clearly more often than the hold-out ({holdout.Share:P1}).");

        static (int Count, double Share) RepeatShare(IEnumerable<(Customer Customer, ThankYou Row, Data.Orders.Order Order)> group)
        {
            var list = group.ToList();
            return (list.Count, list.Count(d => d.Customer.Orders.Any(o => o.PlacedAt > d.Order.PlacedAt && o.PlacedAt <= d.Order.PlacedAt.AddDays(30))) / (double)list.Count);
        }
    }

    [Fact]
    public async Task SeedAsync_OneThousandCustomers_LooksLikeALivingShop()
    {
        var result = await SeedAsync(1_000);

        Assert.False(result.AlreadyPresent);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customers = await db.Customers.Include(c => c.Orders).Include(c => c.SubscriptionEvents).AsNoTracking().ToListAsync();
        Assert.Equal(1_000, customers.Count);
        Assert.Equal(result.Orders, customers.Sum(c => c.Orders.Count));
        Assert.InRange(customers.Count(c => c.Locale == CustomerLocales.Dutch), 540, 660);
        Assert.All(customers, c => Assert.Matches(@"^[a-z]+\.[a-z]+\.\d+@example\.(nl|com)$", c.Email));
        Assert.InRange(customers.Count(c => c.FlaggedBySupport), 3, 30);

        var end = DemoWorld.EndOf(AsOf);
        var orders = customers.SelectMany(c => c.Orders).ToList();
        Assert.All(orders, o => Assert.InRange(o.PlacedAt, end.AddMonths(-18), end));
        Assert.True(orders.Min(o => o.PlacedAt) < end.AddMonths(-16), "History reaches back about 18 months.");
        Assert.True(customers.Count(c => c.Orders.Count >= 2) > 500, "Most customers buy again.");
        Assert.All(orders, o => Assert.True(o.Total > 0 && o.ItemCount > 0));
        Assert.True(customers.Count(c => c.Orders.Count >= 4 && c.Orders.Count(o => o.DiscountCode is not null) >= 0.7 * c.Orders.Count) > 10,
            "Some customers buy almost only with a discount.");

        var events = customers.SelectMany(c => c.SubscriptionEvents).ToList();
        Assert.Equal(result.SubscriptionEvents, events.Count);
        Assert.Contains(events, e => e.Kind == SubscriptionEventKind.Cancelled);
        Assert.Contains(events, e => e.Kind == SubscriptionEventKind.Paused);
        Assert.True(customers.Count(c => c.Orders.Count > 0 && c.Orders.Max(o => o.PlacedAt) < end.AddDays(-120)) > 50,
            "Some buyers have lapsed.");
    }

    [Fact]
    public async Task SeedAsync_ChurnEvents_AreWhatTheRealDetectorLeavesAsItIs()
    {
        await SeedAsync(1_000);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var churn = await db.ChurnEvents.AsNoTracking().ToListAsync();
        Assert.InRange(churn.Count, 300, 1_500);
        Assert.Contains(churn, e => e.Kind == Data.Churn.ChurnKind.SubscriptionCancelled);
        Assert.Contains(churn, e => e.Kind == Data.Churn.ChurnKind.Lapsed && e.WonBackAt is not null);
        Assert.All(churn, e => Assert.True(e.WonBackAt is null || e.WonBackAt > e.ReferenceAt));

        var detector = new ChurnDetector(db, scope.ServiceProvider.GetRequiredService<DatabaseSettings>(), new FakeTimeProvider(DemoWorld.EndOf(AsOf)), Options.Create(new ChurnOptions()));
        var detection = await detector.DetectAllAsync(CancellationToken.None);

        Assert.Equal(new ChurnDetection(0, 0, 0), detection);
    }

    [Fact]
    public async Task SeedAsync_SurveyAnswers_BelongToAnInvitationOfTheirCustomersChurnEvent()
    {
        var result = await SeedAsync(1_000);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var invitations = await db.SurveyInvitations.Include(i => i.ChurnEvent).Include(i => i.Customer).AsNoTracking().ToListAsync();
        var responses = await db.SurveyResponses.AsNoTracking().ToListAsync();

        Assert.Equal(result.SurveyResponses, responses.Count);
        Assert.InRange(responses.Count, 60, 160);
        Assert.All(invitations, i => Assert.Equal(i.CustomerId, i.ChurnEvent!.CustomerId));
        Assert.All(invitations, i => Assert.True(i.CreatedAt >= i.ChurnEvent!.OpenedAt && !(i.ChurnEvent.WonBackAt <= i.CreatedAt)));
        Assert.Contains(invitations, i => i.OpenedAt is not null && i.AnsweredAt is null);
        Assert.Contains(invitations, i => i.ReminderQueuedAt is not null && i.ReminderTokenHash is not null);
        var byId = invitations.ToDictionary(i => i.Id);
        Assert.All(responses, r =>
        {
            var invitation = byId[r.InvitationId];
            Assert.Equal(invitation.CustomerId, r.CustomerId);
            Assert.Equal(invitation.AnsweredAt, r.SubmittedAt);
            Assert.Equal(invitation.Customer!.Locale, r.Locale);
            Assert.Contains(r.Reason, ReasonCatalog.Standard.Select(s => s.Key));
            Assert.Equal(r.Comment.Length > 0, r.PredictedReason is not null);
            Assert.Equal(r.HumanReason ?? r.PredictedReason ?? r.Reason, r.EffectiveReason);
        });
        Assert.True(responses.Count(r => r.PredictedReason is not null) > responses.Count / 2, "Most answers have a comment the classifier read.");
        Assert.Contains(responses, r => r.HumanReason is not null);
        Assert.Contains(responses, r => r.Locale == CustomerLocales.Dutch && r.Comment.Contains(" de ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeedAsync_Campaigns_GiveCodesOnlyToTreatedCustomersAndRedeemThemOnTheirOrders()
    {
        await SeedAsync(1_000);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var campaigns = await db.Campaigns.Include(c => c.Variants).AsNoTracking().ToListAsync();
        var assignments = await db.CampaignAssignments.AsNoTracking().ToListAsync();
        var codes = await db.DiscountCodes.AsNoTracking().ToListAsync();
        var thankYous = await db.ThankYous.AsNoTracking().ToListAsync();
        var orders = await db.Orders.AsNoTracking().ToDictionaryAsync(o => o.ExternalId);

        Assert.Equal(2, campaigns.Count);
        Assert.All(campaigns, c => Assert.Equal(2, c.Variants.Count));
        Assert.InRange(assignments.Count(a => a.VariantId is null), 0.05 * assignments.Count, 0.16 * assignments.Count);
        var groups = assignments.ToDictionary(a => (a.CampaignId, a.CustomerId), a => a.VariantId);
        Assert.All(codes, c => Assert.Equal(c.VariantId, groups[(c.CampaignId, c.CustomerId)]));
        Assert.DoesNotContain(codes, c => groups[(c.CampaignId, c.CustomerId)] is null);
        Assert.Contains(thankYous, t => t.Outcome == ThankYouOutcome.Excluded);
        Assert.All(thankYous.Where(t => t.Outcome == ThankYouOutcome.Code), t => Assert.Contains(codes, c => c.Id == t.DiscountCodeId && c.CustomerId == t.CustomerId));

        var redeemed = codes.Where(c => c.RedeemedAt is not null).ToList();
        Assert.InRange(redeemed.Count, 0.2 * codes.Count, 0.8 * codes.Count);
        Assert.All(redeemed, c =>
        {
            var order = orders[c.RedeemedOrderExternalId!];
            Assert.Equal((c.CustomerId, c.Code, c.RedeemedAt), (order.CustomerId, order.DiscountCode, (DateTimeOffset?)order.PlacedAt));
            Assert.InRange(order.PlacedAt, c.IssuedAt, c.ExpiresAt);
        });
    }

    [Fact]
    public async Task SeedAsync_SecondTime_ChangesNothing()
    {
        var first = await SeedAsync(50);

        var second = await SeedAsync(50);

        Assert.True(second.AlreadyPresent);
        Assert.Equal(50, second.Customers);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(first.Orders, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Orders.CountAsync());
    }

    [Fact]
    public async Task Startup_WithSeedSetting_FillsTheDatabaseOnce()
    {
        using var seeded = _factory.WithWebHostBuilder(b => b.UseSetting(DemoDataFeature.SeedAtStartupKey, "true"));
        await using var scope = seeded.Services.CreateAsyncScope();

        var customers = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Customers.CountAsync();

        Assert.Equal(DemoDataOptions.DefaultCustomers, customers);
    }

    [Fact]
    public void WithoutSeedFlag_RemovesOnlyTheFlag() =>
        Assert.Equal(["--urls", "http://127.0.0.1:5001"], DemoDataFeature.WithoutSeedFlag(["--seed-demo", "--urls", "http://127.0.0.1:5001"]));

    public void Dispose() => _factory.Dispose();

    private static DemoWorld World(int seed)
    {
        var end = DemoWorld.EndOf(AsOf);
        var campaigns = DemoCampaigns.Define(end);
        var id = 0L;
        foreach (var campaign in campaigns)
        {
            // Ids as a database would give them, so groups and codes can be told apart.
            campaign.Id = ++id;
            campaign.Variants.ForEach(v => v.Id = ++id);
        }

        return new DemoWorld(new DemoDataOptions { Seed = seed, AsOf = AsOf }, end, campaigns, new ChurnOptions(), new SurveyOptions(), 1,
            new LoadedReasonModel(0, "bundled", Classifier.Value));
    }

    private async Task<DemoDataResult> SeedAsync(int customers)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoDataGenerator>()
            .SeedAsync(new DemoDataOptions { Customers = customers, Seed = 11, AsOf = AsOf }, null, CancellationToken.None);
    }

    private static string Describe(DemoCustomer demo) => JsonSerializer.Serialize(new
    {
        demo.Customer.ExternalId, demo.Customer.Email, demo.Customer.Locale, demo.Customer.CreatedAt, demo.Customer.MarketingConsent, demo.Customer.FlaggedBySupport,
        Orders = demo.Customer.Orders.Select(o => new { o.ExternalId, o.PlacedAt, o.Total, o.DiscountCode, o.ItemCount }),
        Events = demo.Customer.SubscriptionEvents.Select(e => new { e.EventId, e.Kind, e.OccurredAt }),
        Churn = demo.ChurnEvents.Select(e => new { e.Kind, e.ChurnedAt, e.OpenedAt, e.WonBackAt, e.Explanation }),
        Invitations = demo.Invitations.Select(i => new { i.TokenHash, i.CreatedAt, i.OpenedAt, i.ReminderQueuedAt, i.AnsweredAt }),
        Responses = demo.Responses.Select(r => new { r.Reason, r.Comment, r.PredictedReason, r.HumanReason }),
        Codes = demo.Codes.Select(c => new { c.Code, c.VariantId, c.RedeemedAt }),
        ThankYous = demo.ThankYous.Select(t => new { t.Row.CampaignId, t.Row.Outcome, t.Order.ExternalId }),
    });
}
