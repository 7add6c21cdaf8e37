using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Testing;

namespace FeedbackHub.Web.Tests;

/// <summary><c>/api/v1/campaigns</c>: what an automation can do with the <c>campaigns</c> scope.</summary>
public sealed class CampaignApiTests : IDisposable
{
    private readonly FeedbackHubFactory _app = new();

    private static object Campaign(string name, decimal discount = 10) => new
    {
        name,
        codePrefix = "THX",
        discountKind = "percentage",
        discountValue = discount,
        minimumOrderValue = 25,
        qualifying = "everyNthOrder",
        everyNth = 3,
        startsAt = "2026-12-01T00:00:00Z",
        holdoutShare = 0.1,
        holdoutTreatment = "noEmail",
        variants = new object[] { new { name = "A", weight = 1 }, new { name = "B", weight = 1, discountKind = "amount", discountValue = 5, introDutch = "Speciaal voor jou: {discount} korting." } },
    };

    [Fact]
    public async Task Create_Change_Pause_Resume_RoundTrip()
    {
        using var client = await _app.CreateApiClientAsync(ApiScopes.Campaigns);

        using var created = await client.PostAsJsonAsync(new Uri("/api/v1/campaigns", UriKind.Relative), Campaign("Winter thanks"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal("draft", body.GetProperty("status").GetString());
        Assert.Equal("everyNthOrder", body.GetProperty("settings").GetProperty("qualifying").GetString());
        Assert.Equal(new Uri($"/api/v1/campaigns/{id}", UriKind.Relative), created.Headers.Location);

        using var changed = await client.PutAsJsonAsync(new Uri($"/api/v1/campaigns/{id}", UriKind.Relative), Campaign("Winter thanks", discount: 12.5m));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        using var resumed = await client.PostAsync(new Uri($"/api/v1/campaigns/{id}/resume", UriKind.Relative), null);
        Assert.Equal("active", (await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        using var paused = await client.PostAsync(new Uri($"/api/v1/campaigns/{id}/pause", UriKind.Relative), null);
        Assert.Equal("paused", (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var list = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/campaigns", UriKind.Relative));
        var only = Assert.Single(list.EnumerateArray());
        Assert.Equal(12.5m, only.GetProperty("settings").GetProperty("discountValue").GetDecimal());
        Assert.Equal(2, only.GetProperty("settings").GetProperty("variants").GetArrayLength());
    }

    [Fact]
    public async Task Create_Invalid_Answers400WithEveryProblemByField_AndStoresNothing()
    {
        using var client = await _app.CreateApiClientAsync(ApiScopes.Campaigns);

        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/campaigns", UriKind.Relative),
            new { name = "", discountValue = 200, holdoutShare = 0.9, startsAt = "2026-12-01T00:00:00Z", variants = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["discountValue", "holdoutShare", "name", "variants"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/campaigns", UriKind.Relative))).EnumerateArray());
    }

    [Fact]
    public async Task SameName_Twice_IsRefused()
    {
        using var client = await _app.CreateApiClientAsync(ApiScopes.Campaigns);
        using var first = await client.PostAsJsonAsync(new Uri("/api/v1/campaigns", UriKind.Relative), Campaign("Thanks"));

        using var second = await client.PostAsJsonAsync(new Uri("/api/v1/campaigns", UriKind.Relative), Campaign("Thanks"));

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("already a campaign called", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_ShowsEachVariantAndTheHoldout_InBothLanguages()
    {
        using var client = await _app.CreateApiClientAsync(ApiScopes.Campaigns);
        using var created = await client.PostAsJsonAsync(new Uri("/api/v1/campaigns", UriKind.Relative), Campaign("Thanks"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var previews = (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/campaigns/{id}/preview", UriKind.Relative))).EnumerateArray().ToList();

        Assert.Equal(6, previews.Count);
        var dutchB = previews.Single(p => p.GetProperty("group").GetString() == "B" && p.GetProperty("language").GetString() == "nl");
        Assert.Contains("Speciaal voor jou: € 5,00 korting.", dutchB.GetProperty("email").GetProperty("text").GetString(), StringComparison.Ordinal);
        var englishA = previews.Single(p => p.GetProperty("group").GetString() == "A" && p.GetProperty("language").GetString() == "en");
        Assert.Contains("10% off your next order", englishA.GetProperty("email").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.All(previews.Where(p => p.GetProperty("group").GetString() == "Hold-out"), p => Assert.Equal(JsonValueKind.Null, p.GetProperty("email").ValueKind));
    }

    [Fact]
    public async Task DryRun_OnAnEmptyShop_CountsZero()
    {
        using var client = await _app.CreateApiClientAsync(ApiScopes.Campaigns);

        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/campaigns/dry-run", UriKind.Relative), Campaign("Try"));

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, result.GetProperty("qualifyingCustomers").GetInt32());
        Assert.Equal(3, result.GetProperty("groups").GetArrayLength());
    }

    [Theory]
    [InlineData(ApiScopes.Ingest)]
    [InlineData(ApiScopes.Read)]
    public async Task OtherScopes_AreForbidden(string scope)
    {
        using var client = await _app.CreateApiClientAsync(scope);

        using var response = await client.GetAsync(new Uri("/api/v1/campaigns", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task UnknownCampaign_Answers404Problem()
    {
        using var client = await _app.CreateApiClientAsync(ApiScopes.Campaigns);

        using var response = await client.PostAsync(new Uri("/api/v1/campaigns/999/pause", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _app.Dispose();
}
