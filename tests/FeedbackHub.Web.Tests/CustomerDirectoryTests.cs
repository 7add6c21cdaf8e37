using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Customers;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Customer search and the customer page's figures, on both databases, and the pages over HTTP.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CustomerDirectoryTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Day = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Search_MatchesEmailIdOrName_WithinTheFilter_NewestFirst(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            Customer(db, "c-1", "anna@example.com", "Anna", "Jansen", "nl");
            Customer(db, "c-2", "bob@example.org", "Bob", "de Vries", "en");
            var churned = Customer(db, "shop-77", "carla@example.com", null, null, "nl");
            db.ChurnEvents.Add(new ChurnEvent { Customer = churned, Kind = ChurnKind.Lapsed, ReferenceAt = Day, ChurnedAt = Day, OpenedAt = Day, Explanation = "test" });
            await db.SaveChangesAsync();
        }

        await using var context = database.CreateContext();
        var directory = new CustomerDirectory(context);

        async Task<string[]> Emails(string? search, CustomerFilter filter) =>
            [.. (await directory.SearchAsync(search, filter, 1, CancellationToken.None)).Rows.Select(r => r.Email)];

        Assert.Equal(["carla@example.com", "bob@example.org", "anna@example.com"], await Emails(null, CustomerFilter.All));
        Assert.Equal(["carla@example.com", "anna@example.com"], await Emails("example.com", CustomerFilter.All));
        Assert.Equal(["carla@example.com"], await Emails("shop-7", CustomerFilter.All));
        Assert.Equal(["bob@example.org"], await Emails("Vries", CustomerFilter.All));
        Assert.Equal(["anna@example.com"], await Emails("Jan", CustomerFilter.All));
        Assert.Equal(["carla@example.com", "anna@example.com"], await Emails(null, new CustomerFilter(Language: "nl")));
        Assert.Empty(await Emails("nobody", CustomerFilter.All));
        var carla = (await directory.SearchAsync("carla", CustomerFilter.All, 1, CancellationToken.None)).Rows.Single();
        Assert.Equal(("", true, 0, (DateTimeOffset?)null), (carla.Name, carla.Churned, carla.Orders, carla.LastOrderAt));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Profile_AddsUpOrdersDiscountsRevenueChurnAndCampaignGroups(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        long id;
        await using (var db = database.CreateContext())
        {
            var customer = Customer(db, "c-1", "anna@example.com", "Anna", "Jansen", "nl");
            Order(db, customer, "o-1", Day, 10.10m, "EUR", null);
            Order(db, customer, "o-2", Day.AddDays(30), 20.205m, "EUR", "THANKS-ABC");
            Order(db, customer, "o-3", Day.AddDays(60), 5m, "GBP", "SHOP10");
            var campaign = new Campaign { Name = "Spring thanks", CreatedAt = Day, UpdatedAt = Day };
            db.Campaigns.Add(campaign);
            var churn = new ChurnEvent { Customer = customer, Kind = ChurnKind.Lapsed, ReferenceAt = Day, ChurnedAt = Day.AddDays(100), OpenedAt = Day.AddDays(100), WonBackAt = Day.AddDays(120), Explanation = "last order 100 days ago" };
            db.ChurnEvents.Add(churn);
            await db.SaveChangesAsync();
            db.CampaignAssignments.Add(new CampaignAssignment { CampaignId = campaign.Id, CustomerId = customer.Id, VariantId = null, AssignedAt = Day });
            await db.SaveChangesAsync();
            id = customer.Id;
        }

        await using var context = database.CreateContext();
        var profile = await new CustomerDirectory(context).ProfileAsync(id, CancellationToken.None);

        Assert.NotNull(profile);
        Assert.Equal(("Anna Jansen", 3, 2, 66.7m, Day), (profile.Name, profile.Orders, profile.DiscountedOrders, profile.DiscountSharePercent, profile.FirstOrderAt));
        Assert.Equal([("EUR", 30.305m), ("GBP", 5m)], profile.Revenue.OrderBy(r => r.Currency, StringComparer.Ordinal));
        Assert.False(profile.IsChurned);
        Assert.Equal(("last order 100 days ago", Day.AddDays(120)), (profile.Churns.Single().Explanation, profile.Churns.Single().WonBackAt));
        Assert.Equal(("Spring thanks", (string?)null), (profile.Campaigns.Single().Campaign, profile.Campaigns.Single().Variant));
        Assert.Equal(["o-3", "o-2", "o-1"], profile.History.Orders.Select(o => o.ExternalId));
        Assert.Null(await new CustomerDirectory(context).ProfileAsync(id + 1000, CancellationToken.None));
    }

    [Fact]
    public async Task CustomerPage_EncodesWhatTheShopSent_AndAnUnknownIdSaysSo()
    {
        using var app = new FeedbackHubFactory();
        long id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var customer = Customer(db, "x-1", "x@example.com", "<script>alert(1)</script>", "Smith", "en");
            await db.SaveChangesAsync();
            id = customer.Id;
        }

        using var session = await app.SignedInAsync("marketer@example.com", StaffRoles.Marketer);
        var page = await session.GetPageAsync($"/dashboards/customers/{id}");
        var unknown = await session.GetPageAsync($"/dashboards/customers/{id + 99}");
        var list = await session.GetPageAsync("/dashboards/customers?q=Smith");

        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Smith", page, StringComparison.Ordinal);
        Assert.Contains("x@example.com", page, StringComparison.Ordinal);
        Assert.Contains("Customer not found", unknown, StringComparison.Ordinal);
        Assert.Contains($"href=\"dashboards/customers/{id}\"", list, StringComparison.Ordinal);
    }

    private static Customer Customer(AppDbContext db, string id, string email, string? first, string? last, string locale)
    {
        var customer = new Customer { ExternalId = id, Email = email, FirstName = first, LastName = last, Locale = locale, CreatedAt = Day, UpdatedAt = Day };
        db.Customers.Add(customer);
        return customer;
    }

    private static void Order(AppDbContext db, Customer customer, string id, DateTimeOffset placedAt, decimal total, string currency, string? code) =>
        db.Orders.Add(new Order { ExternalId = id, Customer = customer, PlacedAt = placedAt, Total = total, Currency = currency, DiscountCode = code, CreatedAt = placedAt, UpdatedAt = placedAt });
}
