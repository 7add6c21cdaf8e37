using System.Net;
using System.Net.Http.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Api;
using FeedbackHub.Web.Features.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Redeeming discount codes: atomic under concurrency on both databases, and clear answers over HTTP.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RedemptionTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task FiftyConcurrentRedemptions_ExactlyOneSucceeds(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            await AddCodeAsync(db, "THX7KQ2M9XR4DAB", expiresAt: Now.AddDays(30));
        }

        var services = new ServiceCollection();
        services.AddDbContext<AppDbContext>(database.Settings.Configure);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<DiscountCodes>();
        await using var provided = services.BuildServiceProvider();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            await using var scope = provided.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<DiscountCodes>().RedeemAsync("thx-7kq2m9xr4dab", $"o-{i}", 50m, CancellationToken.None);
        }));

        Assert.Single(results, r => r.Usable);
        Assert.Equal(49, results.Count(r => r.Problem == CodeProblem.AlreadyUsed));
        await using var check = database.CreateContext();
        var stored = await check.DiscountCodes.SingleAsync();
        Assert.Equal(results.Single(r => r.Usable).Details!.RedeemedOrderId, stored.RedeemedOrderExternalId);
    }

    [Fact]
    public async Task Api_AnswersEachProblemDistinctly_AndGetNeverRedeems()
    {
        using var app = new FeedbackHubFactory();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var customer = await AddCodeAsync(db, "THXAAAA000001", expiresAt: Now.AddDays(30), minimum: 25m);
            await AddCodeAsync(db, "THXEEEE000002", expiresAt: Now.AddDays(-1), customer: customer, campaignName: "old");
        }

        using var client = await app.CreateApiClientAsync(ApiScopes.Ingest);

        using var valid = await client.GetAsync(new Uri("/api/v1/discount-codes/thx-aaaa-oo000l?orderTotal=30", UriKind.Relative));
        using var belowMinimum = await client.GetAsync(new Uri("/api/v1/discount-codes/THXAAAA000001?orderTotal=20", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("/api/v1/discount-codes/THXNNNN000009", UriKind.Relative));
        using var expired = await client.GetAsync(new Uri("/api/v1/discount-codes/THXEEEE000002", UriKind.Relative));
        using var invalid = await client.PostAsJsonAsync(new Uri("/api/v1/discount-codes/THXAAAA000001/redeem", UriKind.Relative), new { orderTotal = 30 });
        using var redeemed = await client.PostAsJsonAsync(new Uri("/api/v1/discount-codes/THXAAAA000001/redeem", UriKind.Relative), new { orderId = "o-1", orderTotal = 30 });
        using var retried = await client.PostAsJsonAsync(new Uri("/api/v1/discount-codes/THXAAAA000001/redeem", UriKind.Relative), new { orderId = "o-1", orderTotal = 30 });
        using var again = await client.PostAsJsonAsync(new Uri("/api/v1/discount-codes/THXAAAA000001/redeem", UriKind.Relative), new { orderId = "o-2", orderTotal = 30 });

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound, HttpStatusCode.Gone, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict],
            new[] { valid, belowMinimum, unknown, expired, invalid, redeemed, retried, again }.Select(r => r.StatusCode));
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already used", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("at least 25.00 EUR", await belowMinimum.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithReadOnlyKey_IsForbidden()
    {
        using var app = new FeedbackHubFactory();
        using var client = await app.CreateApiClientAsync(ApiScopes.Read);

        using var response = await client.GetAsync(new Uri("/api/v1/discount-codes/THXAAAA000001", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Guessing_TooManyUnknownCodes_Answers429_EvenForAKnownCode()
    {
        using var app = new FeedbackHubFactory();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await AddCodeAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), "THXAAAA000001", expiresAt: Now.AddDays(30));
        }

        using var guesser = await app.CreateApiClientAsync(ApiScopes.Ingest);
        using var honest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        var limit = new CampaignOptions().CodeGuessesPerMinute;
        for (var i = 0; i < limit; i++)
        {
            using var miss = await guesser.GetAsync(new Uri($"/api/v1/discount-codes/THXGUESS{i:D5}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
        }

        using var blocked = await guesser.GetAsync(new Uri("/api/v1/discount-codes/THXAAAA000001", UriKind.Relative));
        using var other = await honest.GetAsync(new Uri("/api/v1/discount-codes/THXAAAA000001", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal(GuessLimiter.Step, blocked.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    private static async Task<Customer> AddCodeAsync(
        AppDbContext db, string code, DateTimeOffset expiresAt, decimal? minimum = null, Customer? customer = null, string campaignName = "thanks")
    {
        customer ??= new Customer { ExternalId = "c-1", Email = "c1@example.nl", CreatedAt = Now, UpdatedAt = Now };
        var campaign = new Campaign { Name = campaignName, CodePrefix = "THX", DiscountValue = 10, StartsAt = Now.AddDays(-60), CreatedAt = Now, UpdatedAt = Now };
        db.Campaigns.Add(campaign);
        if (customer.Id == 0)
        {
            db.Customers.Add(customer);
        }

        await db.SaveChangesAsync();
        db.DiscountCodes.Add(new DiscountCode
        {
            Code = code,
            CampaignId = campaign.Id,
            CustomerId = customer.Id,
            DiscountKind = DiscountKind.Percentage,
            DiscountValue = 10,
            MinimumOrderValue = minimum,
            Currency = "EUR",
            IssuedAt = Now.AddDays(-31),
            ExpiresAt = expiresAt,
        });
        await db.SaveChangesAsync();
        return customer;
    }
}
