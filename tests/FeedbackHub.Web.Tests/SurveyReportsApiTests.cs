using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Churn reasons, their drill-down, the survey funnel and discount dependency over HTTP: JSON shapes, named errors, the read scope.</summary>
public sealed class SurveyReportsApiTests : IDisposable
{
    private static readonly DateTimeOffset ChurnedAt = new(2026, 10, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task ChurnReasons_GiveCountShareAndRevenueLostPerReason_AndTheCustomersBehindABar()
    {
        await SeedAsync();
        using var client = await _factory.CreateApiClientAsync(ApiScopes.Read);

        using var months = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/reports/churn-reasons?last=2026-10&months=2", UriKind.Relative)));
        using var bar = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/reports/churn-reasons/responses?month=2026-10&reason=price", UriKind.Relative)));

        Assert.Equal("""{"month":"2026-09","start":"2026-08-31T22:00:00+00:00","end":"2026-09-30T22:00:00+00:00","customers":0,"revenueLost":0,"reasons":[]}""",
            months.RootElement[0].GetRawText());
        var october = months.RootElement[1];
        Assert.Equal((1, 22.5m), (october.GetProperty("customers").GetInt32(), october.GetProperty("revenueLost").GetDecimal()));
        Assert.Equal("""{"reason":"price","customers":1,"percent":100,"revenueLost":22.5}""", october.GetProperty("reasons")[0].GetRawText());
        Assert.Equal((1, 1, 1), (bar.RootElement.GetProperty("total").GetInt32(), bar.RootElement.GetProperty("pageNumber").GetInt32(), bar.RootElement.GetProperty("pageCount").GetInt32()));
        var row = bar.RootElement.GetProperty("rows")[0];
        Assert.Equal(("ann", "Ann", "Too expensive", "en", 22.50m),
            (row.GetProperty("customerExternalId").GetString(), row.GetProperty("name").GetString(), row.GetProperty("comment").GetString(),
             row.GetProperty("language").GetString(), row.GetProperty("monthlyRevenue").GetDecimal()));
    }

    [Fact]
    public async Task SurveyFunnel_GivesTheStepsRatesAndWinBacks()
    {
        await SeedAsync();
        using var client = await _factory.CreateApiClientAsync(ApiScopes.Read);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/reports/survey-funnel?period=2026-10&language=en", UriKind.Relative)));

        var funnel = json.RootElement;
        Assert.Equal("2026-10", funnel.GetProperty("period").GetProperty("label").GetString());
        Assert.Equal((1, 0, 1, 1, 1, 100.0m), (funnel.GetProperty("invitations").GetInt32(), funnel.GetProperty("notSent").GetInt32(), funnel.GetProperty("invited").GetInt32(),
            funnel.GetProperty("opened").GetInt32(), funnel.GetProperty("answered").GetInt32(), funnel.GetProperty("responseRate").GetDecimal()));
        Assert.Equal("""[{"reason":"price","answered":1,"wonBack":0,"wonBackPercent":0}]""", funnel.GetProperty("wonBackByReason").GetRawText());
        Assert.Equal(0, funnel.GetProperty("wonBackByOffer").GetArrayLength());
    }

    [Fact]
    public async Task DiscountDependency_GivesTheDistributionAndAPageOfCustomersNotWorthAnOffer()
    {
        await SeedAsync();
        using var client = await _factory.CreateApiClientAsync(ApiScopes.Read);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/reports/discount-dependency?from=2025-01-01&to=2026-12-31&discountShareAbove=0.5", UriKind.Relative)));

        var report = json.RootElement;
        Assert.Equal(("2025-01-01..2026-12-31", 1, 0.5m), (report.GetProperty("period").GetProperty("label").GetString(), report.GetProperty("customers").GetInt32(), report.GetProperty("discountShareAbove").GetDecimal()));
        var range = report.GetProperty("distribution")[3];
        Assert.Equal((">50–75 %", 1, 100m), (range.GetProperty("label").GetString(), range.GetProperty("customers").GetInt32(), range.GetProperty("percent").GetDecimal()));
        var row = report.GetProperty("notWorthAnOffer").GetProperty("rows")[0];
        Assert.Equal(("ann", 3, 2, "discountDependent"), (row.GetProperty("externalId").GetString(), row.GetProperty("orders").GetInt32(),
            row.GetProperty("withDiscount").GetInt32(), row.GetProperty("rule").GetString()));
        Assert.Equal(66.7m, row.GetProperty("discountPercent").GetDecimal());
    }

    [Fact]
    public async Task WrongParameters_AreEachNamed()
    {
        using var client = await _factory.CreateApiClientAsync(ApiScopes.Read);

        var reasons = await ErrorsAsync(client, "/api/v1/reports/churn-reasons?last=2026-9x&months=99&segment=vip");
        var bar = await ErrorsAsync(client, "/api/v1/reports/churn-reasons/responses?page=0");
        var funnel = await ErrorsAsync(client, "/api/v1/reports/survey-funnel?period=2026-13&language=de");
        var dependency = await ErrorsAsync(client, "/api/v1/reports/discount-dependency?from=2026-10-01&discountShareAbove=1&page=x&campaign=-1");

        Assert.Equal(["last", "months", "segment"], Names(reasons));
        Assert.Equal("'2026-9x' is not a month: use yyyy-MM, e.g. 2026-10.", reasons.GetProperty("last")[0].GetString());
        Assert.Equal("months is 1 to 36.", reasons.GetProperty("months")[0].GetString());
        Assert.Equal(["month", "page", "reason"], Names(bar));
        Assert.Equal(["language", "period"], Names(funnel));
        Assert.Equal(["campaign", "discountShareAbove", "page", "to"], Names(dependency));
        Assert.Equal("'1' is not a share: give 0 up to (not including) 1, e.g. 0.5, as campaigns take it.", dependency.GetProperty("discountShareAbove")[0].GetString());
    }

    [Theory]
    [InlineData("/api/v1/reports/churn-reasons")]
    [InlineData("/api/v1/reports/churn-reasons/responses?month=2026-10&reason=price")]
    [InlineData("/api/v1/reports/survey-funnel")]
    [InlineData("/api/v1/reports/discount-dependency")]
    public async Task Reports_NeedTheReadScope(string path)
    {
        using var ingestOnly = await _factory.CreateApiClientAsync(ApiScopes.Ingest);
        using var anonymous = _factory.CreateClient();

        using var forbidden = await ingestOnly.GetAsync(new Uri(path, UriKind.Relative));
        using var unauthorized = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    public void Dispose() => _factory.Dispose();

    private static async Task<JsonElement> ErrorsAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    private static List<string> Names(JsonElement errors) => [.. errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    /// <summary>Ann bought three times (two with a discount, 45.00 in the two months before leaving), churned on 15 October and answered "price".</summary>
    private async Task SeedAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = new Customer { ExternalId = "ann", Email = "ann@example.com", FirstName = "Ann", CreatedAt = ChurnedAt, UpdatedAt = ChurnedAt };
        foreach (var (days, discount) in new[] { (50, "SAVE"), (40, null), (35, "SAVE") })
        {
            var at = ChurnedAt.AddDays(-days);
            db.Orders.Add(new Order { ExternalId = $"ann-{days}", Customer = customer, PlacedAt = at, Total = 15, Currency = "EUR", DiscountCode = discount, CreatedAt = at, UpdatedAt = at });
        }

        var version = new SurveyVersion { Number = 1, Definition = "{}", CreatedBy = "test" };
        var churn = new ChurnEvent { Customer = customer, Kind = ChurnKind.Lapsed, ReferenceAt = ChurnedAt, ChurnedAt = ChurnedAt, OpenedAt = ChurnedAt, Explanation = "test" };
        var invitation = new SurveyInvitation
        {
            ChurnEvent = churn, Customer = customer, TokenHash = "hash-ann", Locale = CustomerLocales.English, CreatedAt = ChurnedAt, ExpiresAt = ChurnedAt.AddDays(30),
            OpenedAt = ChurnedAt.AddHours(1), AnsweredAt = ChurnedAt.AddHours(1),
        };
        db.AddRange(version, invitation);
        await db.SaveChangesAsync();
        db.SurveyResponses.Add(new SurveyResponse
        {
            InvitationId = invitation.Id, CustomerId = customer.Id, SurveyVersionId = version.Id, Locale = CustomerLocales.English, Reason = "price",
            Comment = "Too expensive", SubmittedAt = ChurnedAt.AddHours(1),
        });
        await db.SaveChangesAsync();
    }
}
