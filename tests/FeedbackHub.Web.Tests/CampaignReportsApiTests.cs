using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static FeedbackHub.Web.Tests.CampaignReportData;

namespace FeedbackHub.Web.Tests;

/// <summary><c>/api/v1/reports/campaigns</c> over HTTP against the real app: figures as JSON, parameters checked, scope enforced.</summary>
public sealed class CampaignReportsApiTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 1, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly FeedbackHubFactory _factory = new(settings: new Dictionary<string, string> { ["Analytics:GrossMarginPercent"] = "25" });
    private readonly WebApplicationFactory<Program> _app;

    public CampaignReportsApiTests()
    {
        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_time)));
    }

    [Fact]
    public async Task Campaigns_GiveEachCampaignsHeadlineFigures_WithWhatTheyWereComputedFrom()
    {
        await SeedAsync();
        using var client = await _app.CreateApiClientAsync(ApiScopes.Read);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/reports/campaigns?period=2026-10", UriKind.Relative)));

        var root = json.RootElement;
        Assert.Equal(("2026-10", "2027-01-05T12:00:00+00:00", 25m),
            (root.GetProperty("period").GetProperty("label").GetString(), root.GetProperty("asOf").GetString(), root.GetProperty("grossMarginPercent").GetDecimal()));
        var campaign = Assert.Single(root.GetProperty("campaigns").EnumerateArray());
        Assert.Equal(("Autumn", "active", "EUR"), (campaign.GetProperty("name").GetString(), campaign.GetProperty("status").GetString(), campaign.GetProperty("currency").GetString()));
        var all = campaign.GetProperty("allVariants");
        Assert.Equal((1, 1, 1, 100m), (all.GetProperty("customers").GetInt32(), all.GetProperty("codesIssued").GetInt32(), all.GetProperty("codesRedeemed").GetInt32(), all.GetProperty("redemptionRate").GetDecimal()));
        // t1 bought again after 5 days for 40.00 with 10 % off: 40 × 10 ÷ 90 = 4.44. The hold-out's h1 did not buy again.
        var window = all.GetProperty("windows")[0];
        Assert.Equal("""{"days":30,"matured":1,"repeaters":1,"revenue":40,"discountCost":4.44,"repeatRate":100,"revenuePerCustomer":40}""",
            Without(window, "versusHoldout"));
        // 40.00 × 25 % − 4.44 = 5.56; one extra repeater for 4.44.
        Assert.Equal("""
            {"incrementalRepeaters":1,"incrementalRevenue":40,"incrementalMargin":5.56,"costPerRetainedCustomer":4.44,"upliftPoints":100,"upliftLow":100,"upliftHigh":100,"significant":true,"verdict":"+100.0 points (95 % interval 100.0 to 100.0)"}
            """, window.GetProperty("versusHoldout").GetRawText());
        var holdout = campaign.GetProperty("holdout");
        Assert.Equal((true, 1, 0), (holdout.GetProperty("isHoldout").GetBoolean(), holdout.GetProperty("customers").GetInt32(), holdout.GetProperty("codesIssued").GetInt32()));
        Assert.Equal(JsonValueKind.Null, holdout.GetProperty("windows")[0].GetProperty("versusHoldout").ValueKind);
    }

    [Fact]
    public async Task Campaign_GivesTheVariantTable_AndFiltersLikeRetention()
    {
        var id = await SeedAsync();
        using var client = await _app.CreateApiClientAsync(ApiScopes.Read);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/reports/campaigns/{id}?from=2026-10-01&to=2026-10-31", UriKind.Relative)));
        using var dutch = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/reports/campaigns/{id}?period=2026-10&language=nl", UriKind.Relative)));

        var variant = Assert.Single(json.RootElement.GetProperty("variants").EnumerateArray());
        Assert.Equal(("A", 1, false), (variant.GetProperty("name").GetString(), variant.GetProperty("customers").GetInt32(), variant.GetProperty("isHoldout").GetBoolean()));
        Assert.Equal(5.56m, variant.GetProperty("windows")[0].GetProperty("versusHoldout").GetProperty("incrementalMargin").GetDecimal());
        Assert.Equal(("2026-10-01..2026-10-31", 1), (json.RootElement.GetProperty("period").GetProperty("label").GetString(), json.RootElement.GetProperty("campaign").GetProperty("holdout").GetProperty("customers").GetInt32()));
        // Only h1 speaks Dutch.
        Assert.Equal((0, 1), (dutch.RootElement.GetProperty("variants")[0].GetProperty("customers").GetInt32(), dutch.RootElement.GetProperty("campaign").GetProperty("holdout").GetProperty("customers").GetInt32()));
        Assert.Equal(JsonValueKind.Null, dutch.RootElement.GetProperty("variants")[0].GetProperty("windows")[0].GetProperty("versusHoldout").GetProperty("upliftPoints").ValueKind);
    }

    [Fact]
    public async Task Campaign_Unknown_Is404Problem()
    {
        var (status, problem) = await ProblemAsync("/api/v1/reports/campaigns/999");

        Assert.Equal((HttpStatusCode.NotFound, "There is no campaign 999."), (status, problem.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/reports/campaigns")]
    [InlineData("/api/v1/reports/campaigns/1")]
    public async Task Campaigns_WithWrongParameters_NameEachOne(string path)
    {
        var (status, problem) = await ProblemAsync(path + "?period=2026-13&language=de&segment=vip&campaign=x");
        var (halfRangeStatus, halfRange) = await ProblemAsync(path + "?from=2026-10-01");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (status, halfRangeStatus));
        // The messages are /retention's (ReportsApiTests checks them): here, that each wrong parameter is named.
        Assert.Equal(["campaign", "language", "period", "segment"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Give to as well, as yyyy-MM-dd.", halfRange.GetProperty("errors").GetProperty("to")[0].GetString());
    }

    [Theory]
    [InlineData("/api/v1/reports/campaigns")]
    [InlineData("/api/v1/reports/campaigns/1")]
    public async Task Campaigns_NeedTheReadScope(string path)
    {
        using var ingestOnly = await _app.CreateApiClientAsync(ApiScopes.Ingest);
        using var anonymous = _app.CreateClient();

        using var forbidden = await ingestOnly.GetAsync(new Uri(path, UriKind.Relative));
        using var unauthorized = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized), (forbidden.StatusCode, unauthorized.StatusCode));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesBothEndpoints()
    {
        using var client = _app.CreateClient();

        var paths = (await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        Assert.StartsWith("Every campaign's headline figures", paths.GetProperty("/api/v1/reports/campaigns").GetProperty("get").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("Analytics:GrossMarginPercent", paths.GetProperty("/api/v1/reports/campaigns/{id}").GetProperty("get").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _app.Dispose();
        _factory.Dispose();
    }

    /// <summary>The status and the ProblemDetails body of a GET with the read scope.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Problem)> ProblemAsync(string path)
    {
        using var client = await _app.CreateApiClientAsync(ApiScopes.Read);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Without(JsonElement element, string property) =>
        JsonSerializer.Serialize(element.EnumerateObject().Where(p => p.Name != property).ToDictionary(p => p.Name, p => p.Value));

    /// <summary>Campaign Autumn (10 % off) with t1 in variant A and h1 (Dutch) in the hold-out, both anchored in October; returns its id.</summary>
    private async Task<long> SeedAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var campaign = await CampaignAsync(db, "Autumn", new CampaignVariant { Name = "A" });
        await InGroupAsync(db, campaign, campaign.Variants[0], "t1", new(2026, 10, 1, 10, 0, 0, TimeSpan.Zero), repeats: new Repeat(TimeSpan.FromDays(5), 40.00m, WithCode: true));
        await InGroupAsync(db, campaign, null, "h1", new(2026, 10, 2, 10, 0, 0, TimeSpan.Zero), "nl");
        return campaign.Id;
    }
}
