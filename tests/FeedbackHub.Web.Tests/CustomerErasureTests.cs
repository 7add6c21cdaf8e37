using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.DemoData;
using FeedbackHub.Web.Features.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Erasing a customer through the real app: figures unchanged, never emailed again (real outbox and MailDev), once per database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CustomerErasureTests(PostgresServer postgres) : IAsyncLifetime, IDisposable
{
    private static readonly string[] DashboardTables = ["retention", "cohorts", "churn-reasons", "campaigns"];
    private readonly MailDevServer _mailDev = new();

    public Task InitializeAsync() => _mailDev.InitializeAsync();

    public Task DisposeAsync() => _mailDev.DisposeAsync();

    public void Dispose() => _mailDev.Dispose();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Erase_DemoCustomersThroughTheApi_EveryDashboardFigureStaysIdentical_AndTheirDataIsGone(DatabaseProvider provider)
    {
        using var app = await AppAsync(provider);
        await using (var seed = app.Services.CreateAsyncScope())
        {
            await seed.ServiceProvider.GetRequiredService<DemoDataGenerator>().SeedAsync(new DemoDataOptions { Customers = 150, Seed = 5 }, null, CancellationToken.None);
        }

        var chosen = await ChooseCustomersAsync(app);
        using var admin = await app.SignedInAsync("admin@example.com", StaffRoles.Admin);
        var before = await DashboardCsvAsync(admin);
        using var api = await app.CreateApiClientAsync(ApiScopes.Privacy);

        foreach (var (_, externalId, _) in chosen)
        {
            using var erased = await api.PostAsync(new Uri($"/api/v1/customers/{externalId}/erase", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
            Assert.Equal("erased", (await erased.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        }

        using var again = await api.PostAsync(new Uri($"/api/v1/customers/{chosen[0].ExternalId}/erase", UriKind.Relative), null);
        using var unknown = await api.PostAsync(new Uri("/api/v1/customers/nobody/erase", UriKind.Relative), null);
        var after = await DashboardCsvAsync(admin);

        Assert.Equal("alreadyErased", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        foreach (var table in DashboardTables)
        {
            Assert.True(before[table].Length > 200, $"the {table} export holds figures");
            Assert.Equal(before[table], after[table]);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = chosen.Select(c => c.Id).ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync();
        Assert.All(customers, c =>
        {
            Assert.Equal((ErasedAddress.Placeholder(c.Id), (string?)null, (string?)null, false), (c.Email, c.FirstName, c.LastName, c.MarketingConsent));
            Assert.StartsWith(ErasedAddress.Prefix, c.ExternalId, StringComparison.Ordinal);
        });
        var addresses = chosen.Select(c => c.Email).ToList();
        Assert.False(await db.Customers.AnyAsync(c => addresses.Contains(c.Email)));
        Assert.False(await db.OutboxEmails.AnyAsync(e => addresses.Contains(e.ToAddress) || (e.CustomerId != null && ids.Contains(e.CustomerId.Value) && e.TextBody != "")));
        Assert.False(await db.SurveyResponses.AnyAsync(r => ids.Contains(r.CustomerId) && r.Comment != ""));
        Assert.True(await db.SurveyResponses.AnyAsync(r => ids.Contains(r.CustomerId)), "the answers stay, without their words");
        Assert.False(await db.Suppressions.AnyAsync(s => addresses.Contains(s.Address)));
        Assert.Equal(chosen.Count, await db.Suppressions.CountAsync(s => s.Reason == SuppressionReason.Erased && s.Scope == SuppressionScope.All));
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.Action == AuditActions.CustomerErased).ToListAsync();
        Assert.Equal(chosen.Count, audit.Count);
        Assert.All(audit, a => Assert.Equal("test key", a.ActorName));
        Assert.False(await db.AuditLog.AnyAsync(a => addresses.Any(e => (a.Target ?? "").Contains(e) || (a.Details ?? "").Contains(e))));
        Assert.Equal(DashboardTables.Length * 2, await db.AuditLog.CountAsync(a => a.Action == AuditActions.DashboardExported));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ErasedAddress_SentAgainThroughTheIngestApi_IsNeverEmailedAgain(DatabaseProvider provider)
    {
        using var app = await AppAsync(provider);
        await StartCampaignAsync(app, sendDelayMinutes: 0);
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        await PutCustomerAsync(ingest, "c-1", "Anna.Jansen@Example.nl");
        await PutOrderAsync(ingest, "o-1", "c-1");
        var first = Assert.Single(await _mailDev.WaitForEmailsAsync(1));
        Assert.Equal("Anna.Jansen@Example.nl", first.GetProperty("to")[0].GetProperty("address").GetString());

        using var privacy = await app.CreateApiClientAsync(ApiScopes.Privacy);
        using var erased = await privacy.PostAsync(new Uri("/api/v1/customers/c-1/erase", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        // The shop sends the person again: under the old id, and under a new id with the address written differently.
        await PutCustomerAsync(ingest, "c-1", "anna.jansen@example.nl", HttpStatusCode.Created);
        await PutCustomerAsync(ingest, "c-99", "  ANNA.JANSEN@example.nl ", HttpStatusCode.Created);
        await PutOrderAsync(ingest, "o-3", "c-1");
        await PutOrderAsync(ingest, "o-4", "c-99");
        // Someone else's order after them: once their thank-you arrives, the dispatcher has had its chance at Anna's.
        await PutCustomerAsync(ingest, "c-2", "bob@example.com");
        await PutOrderAsync(ingest, "o-5", "c-2");

        var delivered = await _mailDev.WaitForEmailsAsync(2);
        Assert.Equal(["Anna.Jansen@Example.nl", "bob@example.com"], delivered.Select(e => e.GetProperty("to")[0].GetProperty("address").GetString()).Order(StringComparer.Ordinal));
        await using var check = app.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var reingested = await db.Customers.Where(c => c.ExternalId == "c-1" || c.ExternalId == "c-99").Select(c => c.Id).ToListAsync();
        var again = await db.OutboxEmails.AsNoTracking().Where(e => e.CustomerId != null && reingested.Contains(e.CustomerId.Value)).ToListAsync();
        Assert.Equal(2, again.Count);
        Assert.All(again, e =>
        {
            Assert.Equal(OutboxStatus.Skipped, e.Status);
            Assert.StartsWith("suppressed: Erased (All)", e.LastError, StringComparison.Ordinal);
        });
        Assert.Single(await db.Suppressions.AsNoTracking().ToListAsync());
    }

    [Fact]
    public async Task Erase_CancelsWaitingEmails_AndTwice_ChangesNothingTheSecondTime()
    {
        using var app = await AppAsync(DatabaseProvider.Sqlite);
        await StartCampaignAsync(app, sendDelayMinutes: 120);
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        await PutCustomerAsync(ingest, "c-1", "anna@example.nl");
        await PutOrderAsync(ingest, "o-1", "c-1");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = await db.Customers.Select(c => c.Id).SingleAsync();
        var admin = new Actor("user-1", "admin@example.com");

        var first = await scope.ServiceProvider.GetRequiredService<CustomerPrivacy>().EraseAsync(admin, id, CancellationToken.None);
        var stored = await db.Customers.AsNoTracking().SingleAsync();
        var second = await app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<CustomerPrivacy>().EraseAsync(admin, id, CancellationToken.None);

        Assert.Equal((ErasureOutcome.Erased, 1, ErasureOutcome.AlreadyErased), (first.Outcome, first.EmailsCancelled, second.Outcome));
        var cancelled = await db.OutboxEmails.AsNoTracking().SingleAsync();
        Assert.Equal((OutboxStatus.Skipped, "cancelled: the customer was erased", ErasedAddress.Placeholder(id), ""),
            (cancelled.Status, cancelled.LastError, cancelled.ToAddress, cancelled.HtmlBody));
        Assert.Equal(stored.UpdatedAt, (await db.Customers.AsNoTracking().SingleAsync()).UpdatedAt);
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == AuditActions.CustomerErased && a.Target == $"customer:{id}" && a.ActorName == "admin@example.com"));
    }

    private async Task<FeedbackHubFactory> AppAsync(DatabaseProvider provider)
    {
        var settings = new Dictionary<string, string>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = _mailDev.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Email:PostalAddress"] = "Example Shop, Damrak 1, 1012 LG Amsterdam",
            // No quiet hours: the thank-you must be due whatever time of day the suite runs.
            ["Email:Consent:QuietHoursStart"] = "00:00",
            ["Email:Consent:QuietHoursEnd"] = "00:00",
            ["Scheduler:Enabled"] = "false",
        };
        if (provider == DatabaseProvider.Postgres)
        {
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:FeedbackHub"] = await postgres.CreateDatabaseAsync();
        }

        return new FeedbackHubFactory(settings: settings);
    }

    private static async Task<List<(long Id, string ExternalId, string Email)>> ChooseCustomersAsync(FeedbackHubFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var answered = await db.SurveyResponses.Where(r => r.Comment != "").OrderBy(r => r.CustomerId).Select(r => r.CustomerId).Distinct().Take(4).ToListAsync();
        var coded = await db.DiscountCodes.Where(c => c.RedeemedAt != null).OrderBy(c => c.CustomerId).Select(c => c.CustomerId).Distinct().Take(4).ToListAsync();
        var emailed = await db.OutboxEmails.Where(e => e.CustomerId != null).OrderBy(e => e.CustomerId).Select(e => e.CustomerId!.Value).Distinct().Take(2).ToListAsync();
        var ids = answered.Concat(coded).Concat(emailed).Distinct().ToList();
        Assert.True(answered.Count > 0 && coded.Count > 0, "the demo data has answered surveys and redeemed codes");
        return [.. (await db.Customers.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.ExternalId, c.Email }).ToListAsync())
            .Select(c => (c.Id, c.ExternalId, c.Email))];
    }

    private static async Task<Dictionary<string, byte[]>> DashboardCsvAsync(BrowserSession admin)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var query = string.Create(CultureInfo.InvariantCulture, $"from={today.AddMonths(-18):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        var files = new Dictionary<string, byte[]>();
        foreach (var table in DashboardTables)
        {
            using var response = await admin.Client.GetAsync(new Uri($"/dashboards/export/{table}.csv?{query}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            files[table] = await response.Content.ReadAsByteArrayAsync();
        }

        return files;
    }

    private static async Task StartCampaignAsync(FeedbackHubFactory app, int sendDelayMinutes)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var editor = scope.ServiceProvider.GetRequiredService<CampaignEditor>();
        var created = await editor.CreateAsync(Actor.System, new CampaignInput
        {
            Name = "Thanks", DiscountValue = 10, HoldoutShare = 0, Qualifying = Data.Campaigns.QualifyingOrders.EveryOrder,
            StartsAt = DateTimeOffset.UtcNow.AddDays(-1), SendDelayMinutes = sendDelayMinutes,
        }, CancellationToken.None);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
        await editor.SetStatusAsync(Actor.System, created.Value!.Id, CampaignAction.Resume, CancellationToken.None);
    }

    private static async Task PutCustomerAsync(HttpClient api, string id, string email, HttpStatusCode? expected = null)
    {
        using var response = await api.PutAsJsonAsync(new Uri($"/api/v1/customers/{id}", UriKind.Relative),
            new { email, firstName = "Anna", locale = "nl", marketingConsent = true, marketingConsentSource = "checkout" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        if (expected is { } status)
        {
            Assert.Equal(status, response.StatusCode);
        }
    }

    private static async Task PutOrderAsync(HttpClient api, string id, string customer)
    {
        using var response = await api.PutAsJsonAsync(new Uri($"/api/v1/orders/{id}", UriKind.Relative),
            new { customerExternalId = customer, placedAt = DateTimeOffset.UtcNow.AddMinutes(-5), total = 40m, currency = "EUR", itemCount = 1 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
