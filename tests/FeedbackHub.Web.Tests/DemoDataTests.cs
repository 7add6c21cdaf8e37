using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.DemoData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

public sealed class DemoDataTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 11, 1);
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public void InventCustomer_SameSeedAndIndex_GivesIdenticalHistory()
    {
        var (start, end) = (new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

        var first = Enumerable.Range(0, 300).Select(i => Describe(DemoDataGenerator.InventCustomer(7, i, start, end))).ToList();
        var second = Enumerable.Range(0, 300).Select(i => Describe(DemoDataGenerator.InventCustomer(7, i, start, end))).ToList();
        var otherSeed = Enumerable.Range(0, 300).Select(i => Describe(DemoDataGenerator.InventCustomer(8, i, start, end))).ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public async Task SeedAsync_FiveHundredCustomers_LooksLikeALivingShop()
    {
        var result = await SeedAsync(500);

        Assert.False(result.AlreadyPresent);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customers = await db.Customers.Include(c => c.Orders).Include(c => c.SubscriptionEvents).AsNoTracking().ToListAsync();
        Assert.Equal(500, customers.Count);
        Assert.Equal(result.Orders, customers.Sum(c => c.Orders.Count));
        Assert.InRange(customers.Count(c => c.Locale == CustomerLocales.Dutch), 250, 350);
        Assert.InRange(customers.Count(c => c.Locale == CustomerLocales.English), 150, 250);
        Assert.All(customers, c => Assert.Matches(@"^[a-z]+\.[a-z]+\.\d+@example\.(nl|com)$", c.Email));

        var end = new DateTimeOffset(AsOf.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero);
        var orders = customers.SelectMany(c => c.Orders).ToList();
        Assert.All(orders, o => Assert.InRange(o.PlacedAt, end.AddMonths(-18), end));
        Assert.True(orders.Min(o => o.PlacedAt) < end.AddMonths(-16), "History reaches back about 18 months.");
        Assert.True(customers.Count(c => c.Orders.Count >= 2) > 250, "Most customers buy again.");
        Assert.Contains(orders, o => o.DiscountCode is not null);
        Assert.All(orders, o => Assert.True(o.Total > 0 && o.ItemCount > 0));

        var events = customers.SelectMany(c => c.SubscriptionEvents).ToList();
        Assert.Equal(result.SubscriptionEvents, events.Count);
        Assert.Contains(events, e => e.Kind == SubscriptionEventKind.Cancelled);
        Assert.Contains(events, e => e.Kind == SubscriptionEventKind.Paused);
        Assert.True(customers.Count(c => c.Orders.Count > 0 && c.Orders.Max(o => o.PlacedAt) < end.AddDays(-120)) > 25,
            "Some buyers have lapsed, so churn detection has work to do.");
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

    private async Task<DemoDataResult> SeedAsync(int customers)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoDataGenerator>()
            .SeedAsync(new DemoDataOptions { Customers = customers, Seed = 11, AsOf = AsOf }, null, CancellationToken.None);
    }

    private static string Describe(Customer customer) => JsonSerializer.Serialize(new
    {
        customer.ExternalId, customer.Email, customer.Locale, customer.CreatedAt, customer.MarketingConsent,
        Orders = customer.Orders.Select(o => new { o.ExternalId, o.PlacedAt, o.Total, o.DiscountCode, o.ItemCount }),
        Events = customer.SubscriptionEvents.Select(e => new { e.EventId, e.Kind, e.OccurredAt }),
    });
}
