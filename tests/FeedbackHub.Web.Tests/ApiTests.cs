using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FeedbackHub.Web.Tests;

public sealed class ApiTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private readonly FeedbackHubFactory _factory = new();
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app;

    public ApiTests()
    {
        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_time)));
    }

    [Fact]
    public async Task AnyEndpoint_WithoutKey_Returns401ProblemWithBearerChallenge()
    {
        using var client = _app.CreateClient();

        using var response = await client.PutAsJsonAsync("/api/v1/customers/c-1", new { email = "a@example.nl" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Key_Revoked_IsRefused()
    {
        var (key, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(Actor.System, key.Id, CancellationToken.None));
        }

        using var client = Client(secret);
        using var response = await client.PutAsJsonAsync("/api/v1/customers/c-1", new { email = "a@example.nl" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Key_WithoutIngestScope_Gets403()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Read);
        using var client = Client(secret);

        using var response = await client.PutAsJsonAsync("/api/v1/customers/c-1", new { email = "a@example.nl" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PutCustomerThenOrder_CreatesThenReadsBackWithLastUsedTime()
    {
        var (key, secret) = await CreateKeyAsync(ApiScopes.Ingest, ApiScopes.Read);
        using var client = Client(secret);

        using var created = await client.PutAsJsonAsync("/api/v1/customers/c-1",
            new { email = "anna@example.nl", firstName = "Anna", locale = "nl", marketingConsent = true });
        using var again = await client.PutAsJsonAsync("/api/v1/customers/c-1",
            new { email = "anna@example.nl", firstName = "Anna", locale = "nl", marketingConsent = true });
        using var order = await client.PutAsJsonAsync("/api/v1/orders/o-1",
            new { customerExternalId = "c-1", placedAt = "2026-11-19T10:00:00+01:00", total = 49.95m, currency = "eur", itemCount = 2 });
        using var detail = await client.GetAsync(new Uri("/api/v1/customers/c-1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/customers/c-1", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("unchanged", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, order.StatusCode);
        var body = await detail.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("anna@example.nl", body.GetProperty("customer").GetProperty("email").GetString());
        var storedOrder = body.GetProperty("orders")[0];
        Assert.Equal(49.95m, storedOrder.GetProperty("total").GetDecimal());
        Assert.Equal("EUR", storedOrder.GetProperty("currency").GetString());
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.NotNull((await db.ApiKeys.SingleAsync(k => k.Id == key.Id)).LastUsedAt);
    }

    [Fact]
    public async Task PutOrder_UnknownCustomer_Returns422()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        using var client = Client(secret);

        using var response = await client.PutAsJsonAsync("/api/v1/orders/o-1",
            new { customerExternalId = "ghost", placedAt = "2026-11-19T10:00:00Z", total = 10m, currency = "EUR" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("send the customer first", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutOrder_Invalid_Returns400NamingEveryBadField()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        using var client = Client(secret);

        using var response = await client.PutAsJsonAsync("/api/v1/orders/o-1", new { total = -5m, currency = "EURO", itemCount = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["currency", "customerExternalId", "itemCount", "placedAt", "total"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Put_MalformedJson_Returns400ProblemSayingWhere()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        using var client = Client(secret);
        using var content = new StringContent("{\"email\": \"a@example.nl\", \"marketingConsent\": \"maybe\"}", Encoding.UTF8, "application/json");

        using var response = await client.PutAsync(new Uri("/api/v1/customers/c-1", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("marketingConsent", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_BodyOverTheLimit_Returns413()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        using var client = Client(secret);

        using var response = await client.PutAsJsonAsync("/api/v1/customers/c-1", new { email = "a@example.nl", firstName = new string('x', 70_000) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Batch_MixedItems_AnswersPerItemAndCounts()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        using var client = Client(secret);

        using var response = await client.PostAsJsonAsync("/api/v1/customers/batch", new
        {
            items = new object[]
            {
                new { externalId = "c-1", email = "a@example.nl" },
                new { externalId = "c-2", email = "not an email" },
                new { externalId = "c-3", email = "c@example.nl", locale = "de" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 2), (body.GetProperty("inserted").GetInt32(), body.GetProperty("rejected").GetInt32()));
        Assert.Equal("items[1].email", body.GetProperty("items")[1].GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal("items[2].locale", body.GetProperty("items")[2].GetProperty("errors")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Batch_OverAThousandItems_IsRefusedWhole()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        using var client = Client(secret);

        using var response = await client.PostAsJsonAsync("/api/v1/customers/batch",
            new { items = Enumerable.Range(0, 1_001).Select(i => new { externalId = $"c-{i}", email = $"c{i}@example.nl" }) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Customers.CountAsync());
    }

    [Fact]
    public async Task SubscriptionEvent_Replayed_IsAcceptedAndChangesNothing()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        using var client = Client(secret);
        (await client.PutAsJsonAsync("/api/v1/customers/c-1", new { email = "a@example.nl" })).Dispose();
        var cancelled = new { eventId = "evt-9", customerExternalId = "c-1", kind = "cancelled", occurredAt = "2026-11-18T08:00:00Z" };

        using var first = await client.PostAsJsonAsync("/api/v1/subscription-events", cancelled);
        using var replay = await client.PostAsJsonAsync("/api/v1/subscription-events", cancelled);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppDbContext>().SubscriptionEvents.CountAsync());
    }

    [Fact]
    public async Task SameOrder_PutTenTimesConcurrently_LeavesExactlyOneRow()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest);
        using var client = Client(secret);
        (await client.PutAsJsonAsync("/api/v1/customers/c-1", new { email = "a@example.nl" })).Dispose();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PutAsJsonAsync("/api/v1/orders/o-1",
            new { customerExternalId = "c-1", placedAt = "2026-11-19T10:00:00Z", total = 10m, currency = "EUR" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Orders.CountAsync());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Changes_PagedWithCursor_ListEachChangeOnce()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Ingest, ApiScopes.Read);
        using var client = Client(secret);
        for (var i = 0; i < 5; i++)
        {
            (await client.PutAsJsonAsync($"/api/v1/customers/c-{i}", new { email = $"c{i}@example.nl" })).Dispose();
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 4; page++)
        {
            var url = "/api/v1/changes/customers?limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            var body = await client.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("externalId").GetString()!));
            cursor = body.GetProperty("nextCursor").GetString();
        }

        Assert.Equal(["c-0", "c-1", "c-2", "c-3", "c-4"], seen);
        using var bad = await client.GetAsync(new Uri("/api/v1/changes/customers?cursor=nonsense", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task RateLimit_Exceeded_Returns429WithRetryAfter()
    {
        using var limited = _factory.WithWebHostBuilder(b => b.UseSetting("Api:PermitsPerSecond", "1").UseSetting("Api:Burst", "2"));
        string secret;
        await using (var scope = limited.Services.CreateAsyncScope())
        {
            secret = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
                .CreateAsync(Actor.System, "limited", [ApiScopes.Read], CancellationToken.None)).Value!.Secret;
        }

        using var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await client.GetAsync(new Uri("/api/v1/customers/none", UriKind.Relative)));
        }

        var rejected = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(rejected.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType!.MediaType);
        statuses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task UnknownApiRoute_Returns404Problem()
    {
        var (_, secret) = await CreateKeyAsync(ApiScopes.Read);
        using var client = Client(secret);

        using var response = await client.GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheIngestEndpoints()
    {
        using var client = _app.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/customers/{externalId}", paths);
        Assert.Contains("/api/v1/orders/batch", paths);
        Assert.Contains("/api/v1/changes/orders", paths);
    }

    public void Dispose()
    {
        _app.Dispose();
        _factory.Dispose();
    }

    private HttpClient Client(string secret)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private async Task<(ApiKey Key, string Secret)> CreateKeyAsync(params string[] scopes)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(Actor.System, "shop", scopes, CancellationToken.None);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        return (created.Value!.Key, created.Value.Secret);
    }
}
