using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary><c>/api/v1/reports</c> over HTTP against the real app: figures as JSON, filters checked, scope enforced.</summary>
public sealed class ReportsApiTests : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task Retention_ForAMonth_GivesTheCountsBesideTheRate_AndThePeriodBefore()
    {
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            AddBuyer(db, "early", new DateTimeOffset(2026, 8, 10, 12, 0, 0, TimeSpan.Zero));
            AddBuyer(db, "october", new DateTimeOffset(2026, 10, 10, 12, 0, 0, TimeSpan.Zero));
            await db.SaveChangesAsync();
        }

        using var client = await _factory.CreateApiClientAsync(ApiScopes.Read);
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/reports/retention?period=2026-10", UriKind.Relative)));

        var current = json.RootElement.GetProperty("current");
        Assert.Equal("2026-10", current.GetProperty("period").GetProperty("label").GetString());
        Assert.Equal("2026-09-30T22:00:00+00:00", current.GetProperty("period").GetProperty("start").GetString());
        Assert.Equal((1, 1, 2), (current.GetProperty("customersAtStart").GetInt32(), current.GetProperty("newCustomers").GetInt32(), current.GetProperty("customersAtEnd").GetInt32()));
        Assert.Equal(100.0m, current.GetProperty("retentionRate").GetDecimal());
        Assert.Equal("2026-09", json.RootElement.GetProperty("previous").GetProperty("period").GetProperty("label").GetString());
    }

    [Fact]
    public async Task Retention_WithWrongParameters_NamesEachOne()
    {
        using var client = await _factory.CreateApiClientAsync(ApiScopes.Read);

        using var response = await client.GetAsync(new Uri("/api/v1/reports/retention?period=2026-13&language=de&segment=vip&campaign=x", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("'de' is not a language: use en or nl.", errors.GetProperty("language")[0].GetString());
        Assert.Equal("'vip' is not a segment: use subscribers or buyers.", errors.GetProperty("segment")[0].GetString());
        Assert.Equal("'x' is not a campaign id.", errors.GetProperty("campaign")[0].GetString());
        Assert.StartsWith("'2026-13' is not a period", errors.GetProperty("period")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cohorts_GiveCountsAndPercentPerMonthSince()
    {
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            AddBuyer(db, "august", new DateTimeOffset(2026, 8, 10, 12, 0, 0, TimeSpan.Zero));
            await db.SaveChangesAsync();
        }

        using var client = await _factory.CreateApiClientAsync(ApiScopes.Read);
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/reports/cohorts?last=2026-09&months=2", UriKind.Relative)));
        using var wrong = await client.GetAsync(new Uri("/api/v1/reports/cohorts?last=2026-9x&months=99", UriKind.Relative));

        Assert.Equal("""[{"month":"2026-08","customers":1,"active":[1,0],"percent":[100,0]},{"month":"2026-09","customers":0,"active":[0],"percent":[null]}]""",
            json.RootElement.GetRawText());
        var errors = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("'2026-9x' is not a month: use yyyy-MM, e.g. 2026-10.", errors.GetProperty("last")[0].GetString());
        Assert.Equal("months is 1 to 36.", errors.GetProperty("months")[0].GetString());
    }

    [Fact]
    public async Task Reports_NeedTheReadScope()
    {
        using var ingestOnly = await _factory.CreateApiClientAsync(ApiScopes.Ingest);
        using var anonymous = _factory.CreateClient();

        using var forbidden = await ingestOnly.GetAsync(new Uri("/api/v1/reports/retention", UriKind.Relative));
        using var unauthorized = await anonymous.GetAsync(new Uri("/api/v1/reports/retention", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    public void Dispose() => _factory.Dispose();

    private static void AddBuyer(AppDbContext db, string id, DateTimeOffset firstOrder)
    {
        var customer = new Customer { ExternalId = id, Email = $"{id}@example.com", CreatedAt = firstOrder, UpdatedAt = firstOrder };
        db.Customers.Add(customer);
        db.Orders.Add(new Order { ExternalId = $"{id}-1", Customer = customer, PlacedAt = firstOrder, Total = 20, Currency = "EUR", CreatedAt = firstOrder, UpdatedAt = firstOrder });
    }
}
