using System.Net;
using System.Text;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.DemoData;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Import;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FeedbackHub.Web.Tests;

/// <summary>
/// Every endpoint the app maps (read from its own <see cref="EndpointDataSource"/>, so a new route
/// without an expectation here fails the test) against every kind of caller: anonymous, an API key
/// per scope, and each staff role signed in through the real login form. Route values are ids of
/// real records. The same run proves that no GET changes the database and that every form post
/// without an antiforgery token is refused.
/// </summary>
public sealed class AuthorizationMatrixTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string LoginRedirect = "login";

    /// <summary>The audit log's table, which exports write to when they are read.</summary>
    private const string AuditedReads = "AuditLog";

    // Every caller posts every account form from the same test address: the per-address limit is not under test here.
    private readonly FeedbackHubFactory _factory = new(settings: new Dictionary<string, string> { ["Limits:AccountFormPostsPerMinute"] = "1000" });
    private readonly Dictionary<Caller, HttpClient> _clients = [];
    private Seeded _seeded = default!;

    public enum Caller
    {
        Anonymous,
        IngestKey,
        ReadKey,
        CampaignsKey,
        PrivacyKey,
        Marketer,
        SupportLead,
        Admin,
    }

    private static Caller[] Callers { get; } = Enum.GetValues<Caller>();

    public async Task InitializeAsync()
    {
        _seeded = await SeedAsync();
        _clients[Caller.Anonymous] = _factory.CreateBrowserLikeClient();
        _clients[Caller.IngestKey] = await KeyClientAsync(ApiScopes.Ingest);
        _clients[Caller.ReadKey] = await KeyClientAsync(ApiScopes.Read);
        _clients[Caller.CampaignsKey] = await KeyClientAsync(ApiScopes.Campaigns);
        _clients[Caller.PrivacyKey] = await KeyClientAsync(ApiScopes.Privacy);
        _clients[Caller.Marketer] = (await _factory.SignedInAsync("marketer@example.com", StaffRoles.Marketer)).Client;
        _clients[Caller.SupportLead] = (await _factory.SignedInAsync("support@example.com", StaffRoles.SupportLead)).Client;
        _clients[Caller.Admin] = (await _factory.SignedInAsync("admin@example.com", StaffRoles.Admin)).Client;
    }

    public Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task EveryEndpoint_EveryCaller_GetsTheExpectedStatus_AndNoGetChangesTheDatabase()
    {
        var matrix = Matrix();
        var endpoints = RoutedEndpoints();
        var failures = new List<string>();

        // Nothing is mapped without an expectation, and nothing is expected that is no longer mapped.
        var mapped = endpoints.Where(e => !IsStaticAsset(e)).SelectMany(e => MethodsOf(e).Select(m => (m, e.RoutePattern.RawText!))).ToHashSet();
        var expected = matrix.Select(r => (r.Method, r.Pattern)).ToHashSet();
        failures.AddRange(mapped.Except(expected).Select(e => $"{e.Item1} {e.Item2}: mapped, but the matrix has no expectation for it"));
        failures.AddRange(expected.Except(mapped).Select(e => $"{e.Item1} {e.Item2}: in the matrix, but not mapped"));

        var before = await SnapshotAsync();
        var checks = 0;
        foreach (var row in matrix.Where(r => r.Method == "GET"))
        {
            checks += await CheckAsync(row, failures);
        }

        var after = await SnapshotAsync();
        // The one write a GET may make: the audit entry that records who downloaded an export (the customer data
        // export and the dashboards' CSV files), which records the read and changes no data.
        failures.AddRange(before.Where(b => after[b.Key] != b.Value && b.Key != AuditedReads)
            .Select(b => $"GET requests changed {b.Key}: {b.Value} → {after[b.Key]}"));

        foreach (var row in matrix.Where(r => r.Method != "GET"))
        {
            checks += await CheckAsync(row, failures);
        }

        // Static files are public by design: each one answers an anonymous GET.
        var assets = endpoints.Where(IsStaticAsset).ToList();
        foreach (var asset in assets)
        {
            using var response = await _clients[Caller.Anonymous].GetAsync(new Uri(asset.RoutePattern.RawText!, UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"GET {asset.RoutePattern.RawText} (static asset): {(int)response.StatusCode}, expected 200");
            }
        }

        output.WriteLine($"{matrix.Count} method × route rows × {Callers.Length} callers = {checks} checks, plus {assets.Count} static assets");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void EveryFormPost_RequiresAnAntiforgeryToken_ExceptTheDocumentedOnes()
    {
        var failures = new List<string>();
        foreach (var endpoint in RoutedEndpoints().Where(e => MethodsOf(e).Contains("POST")))
        {
            var pattern = endpoint.RoutePattern.RawText!;
            var validated = endpoint.Metadata.GetMetadata<IAntiforgeryMetadata>()?.RequiresValidation == true;
            var exemption = AntiforgeryExemption(endpoint);
            if (validated == (exemption is not null))
            {
                failures.Add(validated
                    ? $"POST {pattern} requires a token but is listed as exempt ({exemption})"
                    : $"POST {pattern} accepts posts without an antiforgery token and no exemption explains why");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>Why a post needs no token from the antiforgery middleware; null when it must have one.</summary>
    private static string? AntiforgeryExemption(RouteEndpoint endpoint) => endpoint.RoutePattern.RawText switch
    {
        var api when api!.StartsWith("/api/", StringComparison.Ordinal) => "API key in the Authorization header, no cookies",
        "/account/logout" => "the handler validates the token itself and answers ProblemDetails",
        "/survey" => "the handler validates the token itself and answers in the customer's language",
        "/unsubscribe/{token}/" or "/unsubscribe/{token}/preferences" => "the signed token in the path is the credential (RFC 8058 one-click)",
        _ when endpoint.Metadata.GetMetadata<HubMetadata>() is not null || endpoint.RoutePattern.RawText!.StartsWith("/_blazor/", StringComparison.Ordinal)
            => "the Blazor circuit, protected by its own connection and circuit ids",
        _ => null,
    };

    private async Task<int> CheckAsync(Row row, List<string> failures)
    {
        foreach (var caller in Callers)
        {
            var expected = row.Expected(caller);
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), new Uri(row.Url(_seeded), UriKind.Relative)) { Content = row.Body?.Invoke() };
            using var response = await _clients[caller].SendAsync(request);
            var actual = (int)response.StatusCode;
            var redirectsToLogin = actual == 302 && response.Headers.Location?.OriginalString.Contains("/account/login", StringComparison.Ordinal) == true;
            var matches = expected.Status == actual && (expected.Location != LoginRedirect || redirectsToLogin);
            if (!matches)
            {
                failures.Add($"{row.Method} {row.Url(_seeded)} as {caller}: {actual} {response.Headers.Location}, expected {expected} " + string.Concat((await response.Content.ReadAsStringAsync()).Take(300)));
            }
        }

        return Callers.Length;
    }

    /// <summary>What the app must answer; a method × route the app maps must have a row here.</summary>
    private static List<Row> Matrix()
    {
        const string Admin = StaffRoles.Admin;
        const string Marketer = StaffRoles.Marketer;
        const string Support = StaffRoles.SupportLead;
        string[] readers = [Admin, Marketer, Support];
        string[] campaigners = [Admin, Marketer];
        string[] reviewers = [Admin, Support];
        List<Row> rows =
        [
            Everyone("GET", "/healthz", _ => "/healthz", 200),
            Everyone("GET", "/openapi/{documentName}.json", _ => "/openapi/v1.json", 200),
            Everyone("GET", "/api/{**path}", _ => "/api/v2/nothing", 404),
            // Unknown files and Blazor's redirect helper are for signed-in staff only, like every page not marked public.
            Staff("GET", "{**path:file}", _ => "/no-such-file.js", readers, 404),
            Staff("GET", "/_framework/opaque-redirect", _ => "/_framework/opaque-redirect", readers, 400),
            // Without the form's token nobody is logged out, signed in or not.
            Everyone("POST", "/account/logout", _ => "/account/logout", 400, EmptyForm),

            // Customer links: the token is the credential, the same for every caller. A changed token opens nothing,
            // so no caller (not even an admin) can unsubscribe someone else.
            Everyone("GET", "/unsubscribe/{token}/", s => $"/unsubscribe/{s.UnsubscribeToken}", 200),
            Everyone("POST", "/unsubscribe/{token}/", s => $"/unsubscribe/{s.TamperedUnsubscribeToken}", 404, EmptyForm),
            Everyone("POST", "/unsubscribe/{token}/preferences", s => $"/unsubscribe/{s.TamperedUnsubscribeToken}/preferences", 404, EmptyForm),
            // Every caller follows the survey link (rows run in this order), so each then holds that survey's
            // session: the form shows, and a post without the form's token is refused.
            Everyone("GET", "/s/{token}", s => s.SurveyLinkPath, 302),
            Everyone("GET", "/survey", _ => "/survey", 200),
            Everyone("POST", "/survey", _ => "/survey", 400, EmptyForm),

            // Public pages.
            .. PublicPage("/account/login", _ => "/account/login"),
            .. PublicPage("/account/forgot-password", _ => "/account/forgot-password"),
            .. PublicPage("/account/accept-invitation", _ => "/account/accept-invitation"),
            .. PublicPage("/setup", _ => "/setup"),
            .. PublicPage("/not-found", _ => "/not-found"),
            .. PublicPage("/status/{Code:int}", _ => "/status/404"),

            // Staff pages.
            .. StaffPage("/", _ => "/", readers),
            .. StaffPage("/account/password", _ => "/account/password", readers),
            .. StaffPage("/dashboards", _ => "/dashboards", readers),
            .. StaffPage("/dashboards/campaigns", _ => "/dashboards/campaigns", readers),
            .. StaffPage("/dashboards/churn-reasons", _ => "/dashboards/churn-reasons", readers),
            .. StaffPage("/dashboards/cohorts", _ => "/dashboards/cohorts", readers),
            .. StaffPage("/dashboards/customers", _ => "/dashboards/customers", readers),
            .. StaffPage("/dashboards/customers/{CustomerId:long}", s => $"/dashboards/customers/{s.CustomerId}", readers),
            Staff("GET", "/dashboards/export/{table}.csv", _ => "/dashboards/export/retention.csv", readers, 200),
            // Everything about one customer is for admins only.
            Staff("GET", "/dashboards/customers/{customerId:long}/export.json", s => $"/dashboards/customers/{s.CustomerId}/export.json", [Admin], 200),
            .. StaffPage("/campaigns", _ => "/campaigns", campaigners),
            .. StaffPage("/campaigns/new", _ => "/campaigns/new", campaigners),
            .. StaffPage("/campaigns/{Id:long}", s => $"/campaigns/{s.CampaignId}", campaigners),
            .. StaffPage("/campaigns/win-back", _ => "/campaigns/win-back", campaigners),
            .. StaffPage("/admin/email-templates", _ => "/admin/email-templates", campaigners),
            .. StaffPage("/import", _ => "/import", campaigners),
            .. StaffPage("/import/{Id:guid}", s => $"/import/{s.ImportId}", campaigners),
            Staff("GET", "/import/{id:guid}/rejected.csv", s => $"/import/{s.ImportId}/rejected.csv", campaigners, 200),
            // A minimal API endpoint: the cookie answers 401 instead of redirecting a file upload to the login page.
            Staff("POST", "/import/upload", _ => "/import/upload", campaigners, 400, notSignedIn: 401, body: CsvUpload),
            .. StaffPage("/surveys/review", _ => "/surveys/review", reviewers),
            .. StaffPage("/surveys/responses", _ => "/surveys/responses", reviewers),
            .. StaffPage("/surveys/responses/{EventId:long}", s => $"/surveys/responses/{s.ChurnEventId}", reviewers),
            .. StaffPage("/admin/api-keys", _ => "/admin/api-keys", [Admin]),
            .. StaffPage("/admin/mail", _ => "/admin/mail", [Admin]),
            .. StaffPage("/admin/jobs", _ => "/admin/jobs", [Admin]),
            .. StaffPage("/admin/reason-models", _ => "/admin/reason-models", [Admin]),
            .. StaffPage("/admin/staff", _ => "/admin/staff", [Admin]),
            .. StaffPage("/admin/survey", _ => "/admin/survey", [Admin]),
            .. StaffPage("/admin/audit", _ => "/admin/audit", [Admin]),

            // The Blazor circuit: only signed-in staff may open one.
            Staff("POST", "/_blazor/negotiate", _ => "/_blazor/negotiate?negotiateVersion=1", readers, 200, notSignedIn: 401),
            Staff("GET", "/_blazor", _ => "/_blazor", readers, 400, notSignedIn: 401),
            Staff("POST", "/_blazor/disconnect/", _ => "/_blazor/disconnect/", readers, 400, body: EmptyForm),
            Staff("GET", "/_blazor/initializers/", _ => "/_blazor/initializers/", readers, 200),

            // The REST API: each scope opens its own endpoints and no others; a staff cookie opens none.
            // Writes get an empty body, so the key that may write gets 400 and nothing changes.
            Api("PUT", "/api/v1/customers/{externalId}", s => $"/api/v1/customers/{s.CustomerExternalId}", ApiScopes.Ingest, 400, EmptyJson),
            Api("PUT", "/api/v1/orders/{externalId}", _ => "/api/v1/orders/o-matrix", ApiScopes.Ingest, 400, EmptyJson),
            Api("POST", "/api/v1/subscription-events", _ => "/api/v1/subscription-events", ApiScopes.Ingest, 400, EmptyJson),
            Api("POST", "/api/v1/customers/batch", _ => "/api/v1/customers/batch", ApiScopes.Ingest, 400, EmptyJson),
            Api("POST", "/api/v1/orders/batch", _ => "/api/v1/orders/batch", ApiScopes.Ingest, 400, EmptyJson),
            Api("POST", "/api/v1/subscription-events/batch", _ => "/api/v1/subscription-events/batch", ApiScopes.Ingest, 400, EmptyJson),
            Api("GET", "/api/v1/discount-codes/{code}", s => $"/api/v1/discount-codes/{s.DiscountCode}", ApiScopes.Ingest, 200),
            Api("POST", "/api/v1/discount-codes/{code}/redeem", s => $"/api/v1/discount-codes/{s.DiscountCode}/redeem", ApiScopes.Ingest, 400, EmptyJson),
            Api("GET", "/api/v1/customers/{externalId}", s => $"/api/v1/customers/{s.CustomerExternalId}", ApiScopes.Read, 200),
            Api("GET", "/api/v1/changes/customers", _ => "/api/v1/changes/customers", ApiScopes.Read, 200),
            Api("GET", "/api/v1/changes/orders", _ => "/api/v1/changes/orders", ApiScopes.Read, 200),
            Api("GET", "/api/v1/changes/subscription-events", _ => "/api/v1/changes/subscription-events", ApiScopes.Read, 200),
            Api("GET", "/api/v1/reports/retention", _ => "/api/v1/reports/retention", ApiScopes.Read, 200),
            Api("GET", "/api/v1/reports/cohorts", _ => "/api/v1/reports/cohorts", ApiScopes.Read, 200),
            Api("GET", "/api/v1/reports/campaigns", _ => "/api/v1/reports/campaigns", ApiScopes.Read, 200),
            Api("GET", "/api/v1/reports/campaigns/{id:long}", s => $"/api/v1/reports/campaigns/{s.CampaignId}", ApiScopes.Read, 200),
            Api("GET", "/api/v1/reports/churn-reasons", _ => "/api/v1/reports/churn-reasons", ApiScopes.Read, 200),
            Api("GET", "/api/v1/reports/churn-reasons/responses", s => $"/api/v1/reports/churn-reasons/responses?month={s.ChurnMonth}&reason=price", ApiScopes.Read, 200),
            Api("GET", "/api/v1/reports/survey-funnel", _ => "/api/v1/reports/survey-funnel", ApiScopes.Read, 200),
            Api("GET", "/api/v1/reports/discount-dependency", _ => "/api/v1/reports/discount-dependency", ApiScopes.Read, 200),
            Api("GET", "/api/v1/campaigns/", _ => "/api/v1/campaigns", ApiScopes.Campaigns, 200),
            Api("GET", "/api/v1/campaigns/{id:long}", s => $"/api/v1/campaigns/{s.CampaignId}", ApiScopes.Campaigns, 200),
            Api("GET", "/api/v1/campaigns/{id:long}/preview", s => $"/api/v1/campaigns/{s.CampaignId}/preview", ApiScopes.Campaigns, 200),
            Api("POST", "/api/v1/campaigns/", _ => "/api/v1/campaigns", ApiScopes.Campaigns, 400, EmptyJson),
            Api("PUT", "/api/v1/campaigns/{id:long}", s => $"/api/v1/campaigns/{s.CampaignId}", ApiScopes.Campaigns, 400, EmptyJson),
            Api("POST", "/api/v1/campaigns/dry-run", _ => "/api/v1/campaigns/dry-run", ApiScopes.Campaigns, 400, EmptyJson),
            // Pausing and resuming take no body: the campaigns key really does it (and only that key).
            Api("POST", "/api/v1/campaigns/{id:long}/pause", s => $"/api/v1/campaigns/{s.CampaignId}/pause", ApiScopes.Campaigns, 200),
            Api("POST", "/api/v1/campaigns/{id:long}/resume", s => $"/api/v1/campaigns/{s.CampaignId}/resume", ApiScopes.Campaigns, 200),
            // Privacy: only the privacy key. Erasure is asked for a customer who does not exist, so the key that may erase
            // reaches the handler (404) and nothing is erased.
            Api("GET", "/api/v1/customers/{externalId}/export", s => $"/api/v1/customers/{s.CustomerExternalId}/export", ApiScopes.Privacy, 200),
            Api("POST", "/api/v1/customers/{externalId}/erase", _ => "/api/v1/customers/nobody-here/erase", ApiScopes.Privacy, 404),
        ];
        return rows;
    }

    private static HttpContent EmptyForm() => new FormUrlEncodedContent([]);

    /// <summary>A real upload, refused only for its missing antiforgery token.</summary>
    private static HttpContent CsvUpload() => new MultipartFormDataContent { { new StringContent("external_id,email\n"), "file", "customers.csv" } };

    private static HttpContent EmptyJson() => new StringContent("", Encoding.UTF8, "application/json");

    private static Row Everyone(string method, string pattern, Func<Seeded, string> url, int status, Func<HttpContent>? body = null) =>
        new(method, pattern, url, _ => new Expected(status), body);

    /// <summary>A page anyone may open; a post without the form's token is refused (400) for everyone.</summary>
    private static Row[] PublicPage(string pattern, Func<Seeded, string> url) =>
    [
        Everyone("GET", pattern, url, 200),
        Everyone("POST", pattern, url, 400, EmptyForm),
    ];

    /// <summary>A staff page: GET 200 for its roles; a post without the form's token 400 for its roles (403 for other staff either way).</summary>
    private static Row[] StaffPage(string pattern, Func<Seeded, string> url, string[] roles) =>
    [
        Staff("GET", pattern, url, roles, 200),
        Staff("POST", pattern, url, roles, 400, body: EmptyForm),
    ];

    /// <summary>
    /// A staff endpoint: <paramref name="allowed"/> for its roles, 403 for other staff; callers without a
    /// staff cookie (anonymous or API key, which never counts for staff pages) are sent to the login page,
    /// or get <paramref name="notSignedIn"/> where no page is involved.
    /// </summary>
    private static Row Staff(string method, string pattern, Func<Seeded, string> url, string[] roles, int allowed, int? notSignedIn = null, Func<HttpContent>? body = null) =>
        new(method, pattern, url, caller => RoleOf(caller) switch
        {
            null => notSignedIn is { } status ? new Expected(status) : new Expected(302, LoginRedirect),
            var role when roles.Contains(role) => new Expected(allowed),
            _ => new Expected(403),
        }, body);

    /// <summary>An API endpoint: <paramref name="allowed"/> for a key with the scope, 403 for other keys, 401 without a key (a staff cookie is no key).</summary>
    private static Row Api(string method, string pattern, Func<Seeded, string> url, string scope, int allowed, Func<HttpContent>? body = null) =>
        new(method, pattern, url, caller => ScopeOf(caller) switch
        {
            null => new Expected(401),
            var held when held == scope => new Expected(allowed),
            _ => new Expected(403),
        }, body);

    private static string? RoleOf(Caller caller) => caller switch
    {
        Caller.Marketer => StaffRoles.Marketer,
        Caller.SupportLead => StaffRoles.SupportLead,
        Caller.Admin => StaffRoles.Admin,
        _ => null,
    };

    private static string? ScopeOf(Caller caller) => caller switch
    {
        Caller.IngestKey => ApiScopes.Ingest,
        Caller.ReadKey => ApiScopes.Read,
        Caller.CampaignsKey => ApiScopes.Campaigns,
        Caller.PrivacyKey => ApiScopes.Privacy,
        _ => null,
    };

    private List<RouteEndpoint> RoutedEndpoints() =>
        [.. _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>The methods an endpoint answers; one without method metadata (health, hubs, fallbacks) is listed under the one the matrix uses.</summary>
    private static List<string> MethodsOf(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Where(m => m != "HEAD").ToList() is { Count: > 0 } methods
            ? methods
            : [endpoint.RoutePattern.RawText is "/_blazor/negotiate" or "/_blazor/disconnect/" ? "POST" : "GET"];

    private static bool IsStaticAsset(RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;

    private Task<Dictionary<string, string>> SnapshotAsync() => DatabaseSnapshot.TakeAsync(_factory.Services);

    private async Task<HttpClient> KeyClientAsync(string scope)
    {
        var client = await _factory.CreateApiClientAsync(scope);
        // The API client must not follow redirects either: a staff page answers a key with the login redirect.
        var bare = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        bare.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        client.Dispose();
        return bare;
    }

    /// <summary>A small demo shop (customers, orders, campaigns, codes, churn, answers), a fresh survey invitation and an import with a rejected row.</summary>
    private async Task<Seeded> SeedAsync()
    {
        await using (var seeding = _factory.Services.CreateAsyncScope())
        {
            await seeding.ServiceProvider.GetRequiredService<DemoDataGenerator>()
                .SeedAsync(new DemoDataOptions { Customers = 60, Seed = 5 }, null, CancellationToken.None);
        }

        var invited = await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "matrix@example.com");
        var link = await ExitSurveys.LinkPathAsync(_factory.Services, "matrix@example.com");
        await using var scope = _factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == invited);
        var churn = await db.ChurnEvents.AsNoTracking().OrderBy(c => c.Id).FirstAsync();
        // A code the checkout may still use, so the key with the right scope gets 200.
        var code = await db.DiscountCodes.OrderBy(c => c.Id).FirstAsync(c => c.RedeemedAt == null);
        code.ExpiresAt = services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(30);
        await db.SaveChangesAsync();
        // The report summaries are caches that figures bring up to date before reading; they are brought up
        // to date here, so that the GETs below find nothing to catch up and must change nothing.
        await services.GetRequiredService<ReportSummaries>().CatchUpAsync(CancellationToken.None);
        var unsubscribe = services.GetRequiredService<UnsubscribeLinks>().For(customer.Email).Split('/')[^1];
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes("external_id,email\nm-1,not-an-address\n"));
        var imports = services.GetRequiredService<ImportJobs>();
        var import = await imports.AcceptAsync(csv, "customers.csv", "admin@example.com", CancellationToken.None);
        // A dry run: its report of rejected rows is what /import/{id}/rejected.csv serves, and nothing is stored.
        Assert.True(imports.Start(import.Id, ImportKind.Customers, dryRun: true, Actor.System));
        for (var wait = 0; import.State != ImportState.Completed && wait < 200; wait++)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(import.Result?.ReportPath);
        return new Seeded(
            customer.Id, customer.ExternalId, code.CampaignId, code.Code, churn.Id, churn.ChurnedAt.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            import.Id, link, unsubscribe, Tamper(unsubscribe));
    }

    private static string Tamper(string token) => token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

    public sealed record Seeded(
        long CustomerId, string CustomerExternalId, long CampaignId, string DiscountCode, long ChurnEventId, string ChurnMonth,
        Guid ImportId, string SurveyLinkPath, string UnsubscribeToken, string TamperedUnsubscribeToken);

    public sealed record Expected(int Status, string? Location = null)
    {
        public override string ToString() => Location is null ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Status} to {Location}";
    }

    private sealed record Row(string Method, string Pattern, Func<Seeded, string> Url, Func<Caller, Expected> Expected, Func<HttpContent>? Body);
}
