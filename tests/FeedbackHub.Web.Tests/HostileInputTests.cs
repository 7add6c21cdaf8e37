using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Customers;
using FeedbackHub.Web.Features.DemoData;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Email.Admin;
using FeedbackHub.Web.Features.Email.Templates;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FeedbackHub.Web.Tests;

/// <summary>
/// Bad input at every boundary, counted: malformed, nested, oversized and mistyped API bodies, mass
/// assignment, SQL injection in every search and report parameter, line breaks aimed at email headers
/// (through real MailDev), replayed and forged tokens, and password guessing. Each group writes its
/// totals (inputs tried, unhandled 5xx, crashes, rows lost or duplicated) and asserts them to be zero;
/// a database snapshot before and after proves nothing half-written stays and nothing stored is lost.
/// Scripts in stored text are checked in real Chromium by the browser suite's HostileMarkupJourneyTests.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileInputTests(PostgresServer postgres, ITestOutputHelper output)
{
    /// <summary>Only the brute-force test is about limits: every other group may send as much as it likes.</summary>
    private static readonly Dictionary<string, string> Unthrottled = new()
    {
        ["Api:PermitsPerSecond"] = "100000",
        ["Api:Burst"] = "1000000",
        ["Limits:AccountFormPostsPerMinute"] = "10000",
        ["Limits:SurveyPostsPerMinute"] = "100000",
        ["Scheduler:Enabled"] = "false",
    };

    private static readonly string[] SqlInjections =
    [
        "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "'; DROP TABLE \"Customers\"; --", "1; DELETE FROM \"Orders\"",
        "1 UNION SELECT \"Email\" FROM \"Customers\" --", "' UNION SELECT NULL, sqlite_version() --", "%' AND 1=0 UNION SELECT * FROM \"AspNetUsers\" --",
        "'||(SELECT COUNT(*) FROM \"Customers\")||'", "1' AND SLEEP(5) --", "'; SELECT pg_sleep(5); --", "1) OR (1=1", "%", "_", "%%", "[a-z]",
        "\\", "\\'", "'", "''", "\0", "$1", "@p0", "?", "-1", "0", "1e308", "99999999999999999999", "2026-13", "2026-Q9", "NaN",
        new string('\'', 2_000),
    ];

    [Fact]
    public async Task ApiBodies_MalformedNestedMistypedOversizedOrOfTheWrongType_Answer4xxProblemDetails_AndStoreNothing()
    {
        using var app = new FeedbackHubFactory(settings: Unthrottled);
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        using var campaigns = await app.CreateApiClientAsync(ApiScopes.Campaigns);
        using var privacy = await app.CreateApiClientAsync(ApiScopes.Privacy);
        var campaignId = await CreateCampaignAsync(campaigns, "Body target");
        var tally = new HostileTally("malformed, nested, oversized and mistyped bodies");
        var single = 64 * 1024;
        var batch = 4 * 1024 * 1024;
        (HttpClient Client, HttpMethod Method, string Path, int Limit)[] targets =
        [
            (ingest, HttpMethod.Put, "/api/v1/customers/hostile-1", single),
            (ingest, HttpMethod.Put, "/api/v1/orders/hostile-o1", single),
            (ingest, HttpMethod.Post, "/api/v1/subscription-events", single),
            (ingest, HttpMethod.Post, "/api/v1/customers/batch", batch),
            (ingest, HttpMethod.Post, "/api/v1/orders/batch", batch),
            (ingest, HttpMethod.Post, "/api/v1/subscription-events/batch", batch),
            (ingest, HttpMethod.Post, "/api/v1/discount-codes/NOPE-0000/redeem", single),
            (campaigns, HttpMethod.Post, "/api/v1/campaigns", single),
            (campaigns, HttpMethod.Put, $"/api/v1/campaigns/{campaignId}", single),
            (campaigns, HttpMethod.Post, "/api/v1/campaigns/dry-run", single),
            (privacy, HttpMethod.Post, "/api/v1/customers/nobody-here/erase", single),
        ];
        var before = await DatabaseSnapshot.TakeAsync(app.Services);

        foreach (var (client, method, path, limit) in targets)
        {
            foreach (var (name, body) in MalformedBodies())
            {
                var label = $"{method} {path} with {name}";
                var answer = await tally.SendAsync(client, new HttpRequestMessage(method, path) { Content = Json(body) }, label);
                tally.Expect(answer.IsClientError && answer.IsProblem, label, answer);
            }

            foreach (var (name, content) in WrongContentTypes())
            {
                var label = $"{method} {path} as {name}";
                var answer = await tally.SendAsync(client, new HttpRequestMessage(method, path) { Content = content() }, label);
                // A body the endpoint cannot read is refused (415, or 400 naming the problem); endpoints that read no body (erase) answer for the missing customer.
                tally.Expect(answer.IsClientError && answer.IsProblem, label, answer);
            }

            var oversized = Encoding.UTF8.GetBytes("{\"firstName\":\"" + new string('x', limit) + "\"}");
            foreach (var (name, content) in new (string, HttpContent)[] { ("sized", Json(oversized)), ("streamed", Streamed(oversized)) })
            {
                var label = $"{method} {path} with a body over {limit:N0} bytes ({name})";
                var answer = await tally.SendAsync(client, new HttpRequestMessage(method, path) { Content = content }, label);
                tally.Expect(answer.Status == HttpStatusCode.RequestEntityTooLarge && answer.IsProblem, label, answer);
            }
        }

        tally.CompareRows(before, await DatabaseSnapshot.TakeAsync(app.Services));
        tally.ReportAndAssert(output.WriteLine);
    }

    [Fact]
    public async Task ApiBody_InACharacterSetNobodyKnows_Answers415ProblemDetails_NotA500()
    {
        using var app = new FeedbackHubFactory(settings: Unthrottled);
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"email\":\"a@example.com\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=made-up-7");

        using var response = await ingest.PutAsync(new Uri("/api/v1/customers/charset-1", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'made-up-7' is not one we can read", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_WithANullItem_Answers400NamingTheItem_NotA500()
    {
        using var app = new FeedbackHubFactory(settings: Unthrottled);
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);

        using var response = await ingest.PostAsync(new Uri("/api/v1/orders/batch", UriKind.Relative),
            Json(Encoding.UTF8.GetBytes("{\"items\":[{\"externalId\":\"o-1\"},null]}")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["items[1]"], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task CustomerName_WithANulCharacter_Answers400NamingTheField_AndASearchForOneDoesNotFail()
    {
        // PostgreSQL cannot hold a NUL in text: storing one, or searching for one, failed there with a 500.
        using var app = new FeedbackHubFactory(settings: Unthrottled);
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);

        using var response = await ingest.PutAsJsonAsync(new Uri("/api/v1/customers/nul-1", UriKind.Relative), new { email = "nul@example.com", firstName = "Nul\0Name" });
        await using var scope = app.Services.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<CustomerDirectory>().SearchAsync("\0", CustomerFilter.All, 1, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("firstName", out _));
        Assert.Equal(0, found.Total);
    }

    [Fact]
    public async Task FormPosts_WithANulCharacter_Answer400_NotA500_AndStoreNothing()
    {
        // The form reader refuses a NUL in a value (InvalidDataException), which the error page counted as our failure.
        using var app = new FeedbackHubFactory(settings: Unthrottled);
        await ExitSurveys.InviteChurnedCustomerAsync(app.Services, "nul@example.com");
        using var client = app.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, app.Services, "nul@example.com");
        using var session = new BrowserSession(app.CreateBrowserLikeClient());

        using var survey = await client.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative), ExitSurveys.Answers(form, "price", "Too\0 expensive", "5"));
        using var login = await session.LogInAsync("nobody@example.com", "pass\0word");

        Assert.Equal(HttpStatusCode.BadRequest, survey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.AnyAsync());
    }

    [Fact]
    public async Task Campaign_WithANullVariant_Answers400NamingTheVariant_OnCreateAndUpdate()
    {
        using var app = new FeedbackHubFactory(settings: Unthrottled);
        using var campaigns = await app.CreateApiClientAsync(ApiScopes.Campaigns);
        var id = await CreateCampaignAsync(campaigns, "Null variants");
        var body = CampaignBody("Null variants");
        body["variants"] = new object?[] { new { name = "A", weight = 1 }, null };

        using var created = await campaigns.PostAsJsonAsync(new Uri("/api/v1/campaigns", UriKind.Relative), body);
        using var updated = await campaigns.PutAsJsonAsync(new Uri($"/api/v1/campaigns/{id}", UriKind.Relative), body);
        body["variants"] = null;
        using var withoutList = await campaigns.PutAsJsonAsync(new Uri($"/api/v1/campaigns/{id}", UriKind.Relative), body);

        foreach (var (response, field) in new[] { (created, "variants[1]"), (updated, "variants[1]"), (withoutList, "variants") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task ApiBodies_WithFieldsTheCallerMayNotSet_AreIgnored_AndTheStoredRecordsKeepTheirOwnValues()
    {
        using var app = new FeedbackHubFactory(settings: Unthrottled);
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        using var campaigns = await app.CreateApiClientAsync(ApiScopes.Campaigns);
        var tally = new HostileTally("mass assignment");
        var before = await DatabaseSnapshot.TakeAsync(app.Services);
        var longAgo = "2001-01-01T00:00:00Z";

        var created = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Put, "/api/v1/customers/mass-1")
        {
            Content = JsonContent.Create(new Dictionary<string, object?>
            {
                ["email"] = "mass@example.com", ["firstName"] = "Mia", ["id"] = 424242, ["createdAt"] = longAgo, ["updatedAt"] = longAgo,
                ["acquiredAt"] = longAgo, ["flaggedBySupport"] = true, ["role"] = StaffRoles.Admin, ["discountPercent"] = 90, ["externalId"] = "someone-else",
            }),
        }, "PUT customer with id, createdAt, flaggedBySupport, role, discountPercent, externalId");
        tally.Expect(created.Status == HttpStatusCode.Created, "customer with extra fields", created);
        var order = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Put, "/api/v1/orders/mass-o1")
        {
            Content = JsonContent.Create(new Dictionary<string, object?>
            {
                ["customerExternalId"] = "mass-1", ["placedAt"] = DateTimeOffset.UtcNow.AddMinutes(-5), ["total"] = 40m, ["currency"] = "EUR", ["itemCount"] = 1,
                ["id"] = 777777, ["customerId"] = 1, ["discountPercent"] = 90, ["createdAt"] = longAgo, ["updatedAt"] = longAgo,
            }),
        }, "PUT order with id, customerId, discountPercent, createdAt");
        tally.Expect(order.Status == HttpStatusCode.Created, "order with extra fields", order);
        var subscription = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscription-events")
        {
            Content = JsonContent.Create(new Dictionary<string, object?>
            {
                ["eventId"] = "mass-e1", ["customerExternalId"] = "mass-1", ["kind"] = "started", ["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(-5),
                ["id"] = 31337, ["customerId"] = 1, ["receivedAt"] = longAgo,
            }),
        }, "POST subscription event with id, customerId");
        tally.Expect(subscription.Status == HttpStatusCode.Created, "subscription event with extra fields", subscription);

        // Support flagged the customer; the shop's next update cannot unflag them (nor move their id or creation date).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Customers.Where(c => c.ExternalId == "mass-1").ExecuteUpdateAsync(s => s.SetProperty(c => c.FlaggedBySupport, true));
        }

        var updated = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Put, "/api/v1/customers/mass-1")
        {
            Content = JsonContent.Create(new Dictionary<string, object?>
            {
                ["email"] = "mass@example.com", ["firstName"] = "Mia", ["lastName"] = "Jansen", ["id"] = 1, ["flaggedBySupport"] = false, ["createdAt"] = longAgo,
            }),
        }, "PUT customer update with flaggedBySupport false, id 1");
        tally.Expect(updated.Status == HttpStatusCode.OK, "customer update with extra fields", updated);

        // A campaign: the API may not choose its id, status, author, creation date, nor attach another campaign's variant.
        var otherId = await CreateCampaignAsync(campaigns, "Other campaign");
        long otherVariant;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            otherVariant = await scope.ServiceProvider.GetRequiredService<AppDbContext>().CampaignVariants.Where(v => v.CampaignId == otherId).Select(v => v.Id).FirstAsync();
        }

        var campaign = CampaignBody("Mass campaign");
        campaign["id"] = 999_999;
        campaign["status"] = "active";
        campaign["createdAt"] = longAgo;
        campaign["updatedBy"] = "someone@evil.example";
        campaign["issuedCodes"] = 1_000;
        campaign["variants"] = new object[] { new Dictionary<string, object?> { ["name"] = "A", ["weight"] = 1, ["campaignId"] = otherId, ["role"] = "admin" } };
        var createdCampaign = await tally.SendAsync(campaigns, new HttpRequestMessage(HttpMethod.Post, "/api/v1/campaigns") { Content = JsonContent.Create(campaign) },
            "POST campaign with id, status, createdAt, updatedBy, variant campaignId");
        tally.Expect(createdCampaign.Status == HttpStatusCode.Created, "campaign with extra fields", createdCampaign);
        var massId = createdCampaign.Status == HttpStatusCode.Created ? JsonDocument.Parse(createdCampaign.Body).RootElement.GetProperty("id").GetInt64() : 0;
        campaign["variants"] = new object[] { new Dictionary<string, object?> { ["id"] = otherVariant, ["name"] = "Hijacked", ["weight"] = 7, ["introEnglish"] = "hijacked" } };
        var hijack = await tally.SendAsync(campaigns, new HttpRequestMessage(HttpMethod.Put, $"/api/v1/campaigns/{massId}") { Content = JsonContent.Create(campaign) },
            "PUT campaign naming another campaign's variant id");
        tally.Expect(hijack.IsClientError || hijack.Status == HttpStatusCode.OK, "campaign update naming another campaign's variant", hijack);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.ExternalId == "mass-1");
            Check(customer.Id != 424242, "customer id taken from the body");
            Check(customer.CreatedAt.Year > 2001 && customer.UpdatedAt.Year > 2001 && customer.AcquiredAt?.Year != 2001, "customer dates taken from the body");
            Check(customer.FlaggedBySupport, "the shop unflagged a customer support had flagged");
            Check(!await db.Customers.AnyAsync(c => c.ExternalId == "someone-else"), "externalId in the body overrode the address");
            var storedOrder = await db.Orders.AsNoTracking().SingleAsync(o => o.ExternalId == "mass-o1");
            Check(storedOrder.Id != 777777 && storedOrder.CustomerId == customer.Id, "order id or customer id taken from the body");
            Check(!await db.SubscriptionEvents.AnyAsync(e => e.Id == 31337), "subscription event id taken from the body");
            var stored = await db.Campaigns.AsNoTracking().Include(c => c.Variants).SingleAsync(c => c.Id == massId);
            Check(stored.Id != 999_999 && stored.Status == CampaignStatus.Draft && stored.CreatedAt.Year > 2001 && stored.UpdatedBy != "someone@evil.example",
                $"campaign took id, status, date or author from the body: {stored.Id} {stored.Status} {stored.CreatedAt:O} {stored.UpdatedBy}");
            var other = await db.Campaigns.AsNoTracking().Include(c => c.Variants).SingleAsync(c => c.Id == otherId);
            Check(other.Variants.All(v => v.Name != "Hijacked" && v.CampaignId == otherId) && stored.Variants.All(v => v.Id != otherVariant),
                "a campaign update changed or took another campaign's variant");
            Check(await db.Customers.CountAsync() == 1 && await db.Orders.CountAsync() == 1 && await db.SubscriptionEvents.CountAsync() == 1 && await db.Campaigns.CountAsync() == 2,
                "rows duplicated by the extra fields");
        }

        var after = await DatabaseSnapshot.TakeAsync(app.Services);
        // Exactly what was sent: one customer, order, subscription event and two campaigns (their variants and audit entries with them).
        foreach (var (table, added) in new[] { ("Customers", 1), ("Orders", 1), ("SubscriptionEvents", 1), ("Campaigns", 2) })
        {
            var delta = int.Parse(after[table], CultureInfo.InvariantCulture) - int.Parse(before[table], CultureInfo.InvariantCulture);
            if (delta != added)
            {
                tally.RowsWrong(Math.Abs(delta - added), $"{table}: {delta} rows added, {added} sent");
            }
        }

        tally.ReportAndAssert(output.WriteLine);

        void Check(bool condition, string what)
        {
            if (!condition)
            {
                tally.Unexpected(what);
            }
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SqlInjection_InEverySearchReportAndFilterParameter_Answers200Or4xx_AndNoRowChanges(DatabaseProvider provider)
    {
        // The one group run on both databases: quoting, LIKE patterns and sleep functions differ between them.
        var settings = new Dictionary<string, string>(Unthrottled);
        if (provider == DatabaseProvider.Postgres)
        {
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:FeedbackHub"] = await postgres.CreateDatabaseAsync();
        }

        using var app = new FeedbackHubFactory(settings: settings);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoDataGenerator>().SeedAsync(new DemoDataOptions { Customers = 60, Seed = 7 }, null, CancellationToken.None);
            // The report summaries are caches a report brings up to date before reading; up to date now, the requests below must change nothing.
            await scope.ServiceProvider.GetRequiredService<ReportSummaries>().CatchUpAsync(CancellationToken.None);
        }

        using var read = await app.CreateApiClientAsync(ApiScopes.Read);
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        using var campaigns = await app.CreateApiClientAsync(ApiScopes.Campaigns);
        using var privacy = await app.CreateApiClientAsync(ApiScopes.Privacy);
        using var admin = await app.SignedInAsync("admin@example.com", StaffRoles.Admin);
        var tally = new HostileTally($"SQL injection in search, sort and filter parameters ({provider})");
        var before = await DatabaseSnapshot.TakeAsync(app.Services);
        (HttpClient Client, string Url)[] api =
        [
            (read, "/api/v1/reports/retention?period={0}"),
            (read, "/api/v1/reports/retention?from={0}&to={0}"),
            (read, "/api/v1/reports/retention?language={0}&segment={0}&campaign={0}"),
            (read, "/api/v1/reports/cohorts?last={0}&months={0}"),
            (read, "/api/v1/reports/cohorts?language={0}&segment={0}&campaign={0}"),
            (read, "/api/v1/reports/churn-reasons?last={0}&months={0}&language={0}"),
            (read, "/api/v1/reports/churn-reasons/responses?month=2026-10&reason={0}&page={0}"),
            (read, "/api/v1/reports/churn-reasons/responses?month={0}&reason=price&segment={0}&campaign={0}"),
            (read, "/api/v1/reports/survey-funnel?period={0}&campaign={0}"),
            (read, "/api/v1/reports/discount-dependency?discountShareAbove={0}&page={0}"),
            (read, "/api/v1/reports/discount-dependency?period={0}&language={0}"),
            (read, "/api/v1/reports/campaigns?period={0}&segment={0}&campaign={0}"),
            (read, "/api/v1/reports/campaigns/1?campaign={0}&language={0}"),
            (read, "/api/v1/changes/customers?cursor={0}&limit={0}"),
            (read, "/api/v1/changes/orders?cursor={0}&limit={0}"),
            (read, "/api/v1/changes/subscription-events?cursor={0}&limit={0}"),
            (read, "/api/v1/customers/{0}"),
            (ingest, "/api/v1/discount-codes/{0}"),
            (campaigns, "/api/v1/campaigns/{0}"),
            (privacy, "/api/v1/customers/{0}/export"),
        ];
        string[] pages =
        [
            "/dashboards/customers?q={0}",
            "/dashboards/customers?q={0}&period={0}&language={0}&segment={0}&campaign={0}",
            "/dashboards?period={0}&from={0}&to={0}",
            "/dashboards/churn-reasons?segment={0}&campaign={0}&language={0}",
            "/dashboards/cohorts?period={0}&language={0}",
            "/dashboards/campaigns?campaign={0}&period={0}",
            "/dashboards/export/retention.csv?period={0}&language={0}&segment={0}",
            "/dashboards/export/churn-reasons.csv?campaign={0}",
        ];

        foreach (var injection in SqlInjections)
        {
            var escaped = Uri.EscapeDataString(injection);
            foreach (var (client, url) in api)
            {
                if (!InPath(injection) && url.Contains("/{0}", StringComparison.Ordinal))
                {
                    continue;
                }

                var target = string.Format(CultureInfo.InvariantCulture, url, escaped);
                var answer = await tally.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, target), target);
                tally.Expect(answer.Status == HttpStatusCode.OK || (answer.IsClientError && answer.IsProblem), target, answer);
            }

            foreach (var url in pages)
            {
                var target = string.Format(CultureInfo.InvariantCulture, url, escaped);
                var answer = await tally.SendAsync(admin.Client, new HttpRequestMessage(HttpMethod.Get, target), target);
                // Pages show a mistake in their filters beside the form; the CSV downloads refuse it.
                tally.Expect(answer.Status == HttpStatusCode.OK || answer.IsClientError, target, answer);
            }

            // The audit page's filters and the customer search, as the interactive pages call them.
            await using var scope = app.Services.CreateAsyncScope();
            var audit = scope.ServiceProvider.GetRequiredService<AuditLogSearch>();
            foreach (var filter in new[] { new AuditFilter(Action: injection), new AuditFilter(Actor: injection), new AuditFilter(Text: injection), new AuditFilter(injection, injection, null, null, injection) })
            {
                await tally.TryAsync(() => audit.SearchAsync(filter, 1, CancellationToken.None), $"audit search {filter}");
            }

            var directory = scope.ServiceProvider.GetRequiredService<CustomerDirectory>();
            var found = await tally.TryAsync(() => directory.SearchAsync(injection, CustomerFilter.All, 1, CancellationToken.None), $"customer search {injection}");
            if (injection.StartsWith("' OR", StringComparison.Ordinal) && found is { Total: > 0 })
            {
                tally.Unexpected($"customer search '{injection}' matched {found.Total} customers: the text reached the SQL");
            }
        }

        tally.CompareRows(before, await DatabaseSnapshot.TakeAsync(app.Services), "AuditLog");

        // A NUL in a stored name, which PostgreSQL cannot hold in text: refused or stored, never a failure.
        var nul = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Put, "/api/v1/customers/nul-1")
        {
            Content = JsonContent.Create(new { email = "nul@example.com", firstName = "Nul\0Name", lastName = "\0" }),
        }, "customer name with NUL");
        tally.Expect(nul.Status == HttpStatusCode.Created || (nul.Status == HttpStatusCode.BadRequest && nul.IsProblem), "customer name with NUL", nul);
        tally.ReportAndAssert(output.WriteLine);
    }

    [Fact]
    public async Task LineBreaks_InNamesAddressesAndSubjects_NeverBecomeEmailHeaders_InWhatMailDevReceives()
    {
        // Only this group sends mail, so only it starts MailDev.
        using var mailDev = new MailDevServer();
        await mailDev.InitializeAsync();
        using var app = new FeedbackHubFactory(settings: new Dictionary<string, string>(Unthrottled)
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = mailDev.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Email:PostalAddress"] = "Example Shop, Damrak 1, 1012 LG Amsterdam",
            ["Email:Consent:QuietHoursStart"] = "00:00",
            ["Email:Consent:QuietHoursEnd"] = "00:00",
        });
        await StartThankYouCampaignAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // A marketer's subject with a bare carriage return (the editor refuses only line feeds).
            var saved = await scope.ServiceProvider.GetRequiredService<EmailTextEditor>().SaveAsync(Actor.System, EmailTemplates.ThankYou, "en",
                new Dictionary<string, string> { ["subject"] = "Thanks {first_name}\rBcc: subject@evil.example" }, CancellationToken.None);
            output.WriteLine($"subject with a carriage return: {(saved.Succeeded ? "saved" : "refused: " + string.Join("; ", saved.Errors))}");
        }

        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        var tally = new HostileTally("line breaks aimed at email headers");
        string[] breaks = ["\r\n", "\n", "\r", "\r\n ", "\u0085", "\u2028", "%0d%0a", "\\r\\n", "=0D=0A", "\r\n\r\n"];
        var accepted = new List<string>();
        var index = 0;
        foreach (var lineBreak in breaks)
        {
            foreach (var field in new[] { "firstName", "lastName" })
            {
                index++;
                var address = $"crlf{index}@example.com";
                var body = new Dictionary<string, object?>
                {
                    ["email"] = address, ["firstName"] = "Sam", ["lastName"] = "Smit", ["locale"] = "en", ["marketingConsent"] = true,
                    [field] = $"Sam{lineBreak}Bcc: victim{index}@evil.example{lineBreak}X-Injected: {index}",
                };
                var answer = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Put, $"/api/v1/customers/crlf-{index}") { Content = JsonContent.Create(body) },
                    $"{field} with {Escape(lineBreak)}");
                tally.Expect(answer.Status == HttpStatusCode.Created || (answer.Status == HttpStatusCode.BadRequest && answer.IsProblem), $"{field} with {Escape(lineBreak)}", answer);
                if (answer.Status == HttpStatusCode.Created)
                {
                    accepted.Add(address);
                    var ordered = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Put, $"/api/v1/orders/crlf-o{index}")
                    {
                        Content = JsonContent.Create(new { customerExternalId = $"crlf-{index}", placedAt = DateTimeOffset.UtcNow.AddMinutes(-5), total = 40m, currency = "EUR", itemCount = 1 }),
                    }, $"order of the customer with {Escape(lineBreak)} in {field}");
                    tally.Expect(ordered.Status == HttpStatusCode.Created, "order", ordered);
                }
            }

            // An address with a line break is no address: refused before anything is stored.
            index++;
            var bad = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Put, $"/api/v1/customers/crlf-{index}")
            {
                Content = JsonContent.Create(new { email = $"crlf{index}@example.com{lineBreak}Bcc: victim@evil.example", firstName = "Sam", marketingConsent = true }),
            }, $"email with {Escape(lineBreak)}");
            tally.Expect(bad.Status == HttpStatusCode.BadRequest && bad.IsProblem, $"email with {Escape(lineBreak)}", bad);
        }

        // The app's own dispatcher sends each thank-you to MailDev; every one must arrive, with no header it was not meant to have.
        var emails = await mailDev.WaitForEmailsAsync(accepted.Count, TimeSpan.FromSeconds(60));
        var received = new List<string>();
        foreach (var email in emails)
        {
            var source = await mailDev.SourceAsync(email.GetProperty("id").GetString()!);
            var headers = HeaderNames(source);
            var recipients = email.TryGetProperty("envelope", out var envelope) && envelope.TryGetProperty("to", out var to)
                ? to.EnumerateArray().Select(r => r.GetProperty("address").GetString()!).ToList()
                : [.. email.GetProperty("to").EnumerateArray().Select(r => r.GetProperty("address").GetString()!)];
            received.AddRange(recipients);
            if (headers.Any(h => h.Equals("Bcc", StringComparison.OrdinalIgnoreCase) || h.Equals("X-Injected", StringComparison.OrdinalIgnoreCase))
                || headers.Count(h => h.Equals("To", StringComparison.OrdinalIgnoreCase)) != 1 || recipients.Count != 1)
            {
                tally.Executed($"header injected into the email to {string.Join(", ", recipients)}: {string.Join(", ", headers)}");
            }
        }

        foreach (var missing in accepted.Except(received, StringComparer.OrdinalIgnoreCase))
        {
            tally.RowsWrong(1, $"the thank-you to {missing} never arrived");
        }

        if (received.Count != received.Distinct(StringComparer.OrdinalIgnoreCase).Count())
        {
            tally.RowsWrong(received.Count - received.Distinct(StringComparer.OrdinalIgnoreCase).Count(), "an email arrived twice");
        }

        output.WriteLine($"{accepted.Count} customers with line breaks in a name accepted, {emails.Count} emails received");
        tally.ReportAndAssert(output.WriteLine);
    }

    [Fact]
    public async Task ReplayedOrForgedTokens_Answer4xx_AndOpenNothing()
    {
        using var app = new FeedbackHubFactory(settings: Unthrottled);
        var tally = new HostileTally("replayed and forged tokens");
        await ExitSurveys.InviteChurnedCustomerAsync(app.Services, "replay@example.com");
        var link = await ExitSurveys.LinkPathAsync(app.Services, "replay@example.com");
        using var customer = app.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(customer, app.Services, "replay@example.com");
        using (var answered = await customer.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative), ExitSurveys.Answers(form, "price", "first answer", "5")))
        {
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }

        // Everything this test needs exists before the snapshot: the staff accounts, and the first answer classified.
        var invitee = await app.CreateStaffAsync("invitee@example.com", StaffRoles.Marketer);
        await app.CreateStaffAsync("cookie@example.com", StaffRoles.Admin);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<FeedbackHub.Web.Features.Reasons.ResponseClassifier>().ClassifyPendingAsync(CancellationToken.None);
        }

        var before = await DatabaseSnapshot.TakeAsync(app.Services);
        using var stranger = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        // The survey: the same link again (in the same browser and another), the form posted again, tampered and malformed tokens.
        foreach (var client in new[] { customer, stranger })
        {
            var reopened = await tally.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, link), "survey link reused after answering");
            tally.Expect(reopened.Status != HttpStatusCode.OK || reopened.Body.Contains("We already have your answers", StringComparison.Ordinal), "survey link reused", reopened);
        }

        var again = await tally.SendAsync(customer, new HttpRequestMessage(HttpMethod.Post, SurveyLinks.SurveyPath) { Content = ExitSurveys.Answers(form, "service", "second answer", "1") },
            "survey form posted again after answering");
        tally.Expect(!again.Body.Contains("second answer", StringComparison.Ordinal), "survey posted again", again);
        var token = link[3..];
        foreach (var forged in Forgeries(token).Where(InPath))
        {
            var answer = await tally.SendAsync(stranger, new HttpRequestMessage(HttpMethod.Get, "/s/" + Uri.EscapeDataString(forged)), $"survey token {Shorten(forged)}");
            tally.Expect(answer.IsClientError, $"survey token {Shorten(forged)}", answer);
        }

        // Unsubscribe links: tampered or made up, by GET and by one-click POST.
        var unsubscribe = app.Services.GetRequiredService<UnsubscribeLinks>().For("replay@example.com").Split('/')[^1];
        foreach (var forged in Forgeries(unsubscribe).Where(InPath))
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
            {
                var path = $"/unsubscribe/{Uri.EscapeDataString(forged)}";
                var answer = await tally.SendAsync(stranger, new HttpRequestMessage(method, path)
                {
                    Content = method == HttpMethod.Post ? new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]) : null,
                }, $"{method} unsubscribe token {Shorten(forged)}");
                tally.Expect(answer.IsClientError, $"{method} unsubscribe token {Shorten(forged)}", answer);
            }
        }

        // Invitation and password links: used, tampered, made up, for nobody; and the one-time setup link.
        string code;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByIdAsync(invitee.Id))!;
            code = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            // The token is spent: the password changed since it was issued.
            Assert.True((await users.UpdateSecurityStampAsync(user)).Succeeded);
        }

        string[] userIds = [invitee.Id, Guid.NewGuid().ToString(), "' OR '1'='1", "", new string('9', 5_000)];
        using var session = new BrowserSession(app.CreateBrowserLikeClient());
        foreach (var userId in userIds)
        {
            foreach (var forged in Forgeries(code).Prepend(code))
            {
                var url = $"/account/accept-invitation?userId={Uri.EscapeDataString(userId)}&code={Uri.EscapeDataString(forged)}";
                var label = $"invitation user {Shorten(userId)} code {Shorten(forged)}";
                var page = await tally.SendAsync(session.Client, new HttpRequestMessage(HttpMethod.Get, url), label);
                var showsForm = page.Body.Contains("<form", StringComparison.Ordinal);
                tally.Expect(page.Status == HttpStatusCode.OK && (showsForm || page.Body.Contains("Link not valid", StringComparison.Ordinal)), label, page);
                if (showsForm)
                {
                    // The form shows for a real account; the code is checked when the password is chosen.
                    var posted = await tally.TryAsync(async () =>
                    {
                        using var response = await session.AcceptInvitationAsync(url, "a brand new password 42");
                        return new HostileTally.Answer(response.StatusCode, null, await response.Content.ReadAsStringAsync(), response.Headers.Location, null);
                    }, label + " posted");
                    if (posted is not null)
                    {
                        tally.Expect(posted.Status == HttpStatusCode.OK && posted.Body.Contains("expired or has been used", StringComparison.Ordinal), label + " posted", posted);
                    }
                }
            }
        }

        foreach (var forged in Forgeries("setup-token-that-was-never-issued"))
        {
            var answer = await tally.SendAsync(stranger, new HttpRequestMessage(HttpMethod.Get, $"/setup?token={Uri.EscapeDataString(forged)}"), $"setup token {Shorten(forged)}");
            tally.Expect(answer.IsClientError || (answer.Status == HttpStatusCode.OK && !answer.Body.Contains("<form", StringComparison.Ordinal)), $"setup token {Shorten(forged)}", answer);
        }

        // API keys that were never issued, and authorization headers of the wrong shape.
        string[] keys =
        [
            "Bearer fh_" + Convert.ToHexString(Guid.NewGuid().ToByteArray()), "Bearer fh_" + new string('A', 43), "Bearer fh_", "Bearer ", "Bearer",
            "Basic YWRtaW46YWRtaW4=", "bearer fh_x", "Bearer fh_' OR '1'='1", "Bearer " + new string('x', 8_000), "Bearer fh_\u00e9\u00e9",
        ];
        foreach (var key in keys)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/changes/customers");
            request.Headers.TryAddWithoutValidation("Authorization", key);
            var answer = await tally.SendAsync(stranger, request, $"API key {Shorten(key)}");
            tally.Expect(answer.Status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests && answer.IsProblem, $"API key {Shorten(key)}", answer);
        }

        // A staff cookie altered by one byte, at the start, middle and end, opens no staff page.
        var cookie = await StaffCookieAsync(app, "cookie@example.com");
        var value = cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var name = cookie[..cookie.IndexOf('=', StringComparison.Ordinal)];
        Assert.Equal(HttpStatusCode.OK, (await tally.SendAsync(stranger, WithCookie("/admin/staff", cookie), "unaltered staff cookie")).Status);
        foreach (var position in new[] { 0, 1, value.Length / 3, value.Length / 2, value.Length - 2, value.Length - 1 })
        {
            var altered = value[..position] + (value[position] == 'A' ? 'B' : 'A') + value[(position + 1)..];
            foreach (var path in new[] { "/admin/staff", "/dashboards/customers", "/_blazor/negotiate?negotiateVersion=1" })
            {
                var method = path.StartsWith("/_blazor", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
                var request = WithCookie(path, $"{name}={altered}");
                request.Method = method;
                var answer = await tally.SendAsync(stranger, request, $"staff cookie altered at {position} for {path}");
                var toLogin = answer.Status == HttpStatusCode.Redirect && answer.Location?.OriginalString.Contains("/account/login", StringComparison.Ordinal) == true;
                tally.Expect(toLogin || answer.IsClientError, $"staff cookie altered at {position} for {path}", answer);
            }
        }

        tally.CompareRows(before, await DatabaseSnapshot.TakeAsync(app.Services), "AuditLog");
        await using (var check = app.Services.CreateAsyncScope())
        {
            var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
            if (await db.SurveyResponses.CountAsync() != 1 || await db.Suppressions.AnyAsync())
            {
                tally.Unexpected("a replayed survey or a forged unsubscribe link was stored");
            }

            var users = check.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            if (await users.CheckPasswordAsync((await users.FindByEmailAsync("invitee@example.com"))!, "a brand new password 42"))
            {
                tally.Unexpected("a spent password link set a new password");
            }
        }

        tally.ReportAndAssert(output.WriteLine);
    }

    [Fact]
    public async Task PasswordGuessing_LocksTheAccount_ThenTheAddressGets429WithRetryAfter()
    {
        const int PostsPerMinute = 8;
        using var app = new FeedbackHubFactory(settings: new Dictionary<string, string> { ["Limits:AccountFormPostsPerMinute"] = PostsPerMinute.ToString(CultureInfo.InvariantCulture) });
        await app.CreateStaffAsync("victim@example.com", StaffRoles.Admin);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // On a new database the app stores its bundled reason model the first time any part asks for it; that is not the guessing's doing.
            await scope.ServiceProvider.GetRequiredService<FeedbackHub.Web.Features.Reasons.ActiveReasonModel>()
                .GetAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), CancellationToken.None);
        }

        var tally = new HostileTally("password guessing");
        var before = await DatabaseSnapshot.TakeAsync(app.Services);
        using var session = new BrowserSession(app.CreateBrowserLikeClient());
        var statuses = new List<HttpStatusCode>();
        HostileTally.Answer? limited = null;
        for (var attempt = 1; attempt <= PostsPerMinute + 3; attempt++)
        {
            // Every guess but the seventh is wrong: by then the account is locked, so even the right password fails.
            var password = attempt == 7 ? FeedbackHubFactory.Password : $"guess number {attempt}";
            var answer = await tally.TryAsync(async () =>
            {
                using var response = await session.LogInAsync("victim@example.com", password);
                return new HostileTally.Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(),
                    response.Headers.Location, response.Headers.RetryAfter?.Delta);
            }, $"login attempt {attempt}");
            statuses.Add(answer?.Status ?? 0);
            if (answer is { Status: HttpStatusCode.TooManyRequests })
            {
                limited ??= answer;
            }
            else if (answer is not null)
            {
                tally.Expect(answer.Status == HttpStatusCode.OK && (attempt < 6 || answer.Body.Contains("locked", StringComparison.Ordinal)), $"login attempt {attempt}", answer);
            }
        }

        output.WriteLine($"login answers: {string.Join(", ", statuses.Select(s => (int)s))}");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            if (!await users.IsLockedOutAsync((await users.FindByEmailAsync("victim@example.com"))!))
            {
                tally.Unexpected("five wrong passwords did not lock the account");
            }
        }

        if (limited is null || limited.RetryAfter is not { } retry || retry < TimeSpan.FromSeconds(1) || retry > TimeSpan.FromMinutes(1))
        {
            tally.Unexpected($"no 429 with a Retry-After of 1 s to 1 min after {PostsPerMinute} posts a minute: {limited?.RetryAfter}");
        }

        if (statuses.Count(s => s == HttpStatusCode.TooManyRequests) != 3)
        {
            tally.Unexpected($"expected the last 3 of {statuses.Count} posts to be refused: {string.Join(", ", statuses.Select(s => (int)s))}");
        }

        // The guesses leave audit entries and the lockout on the account; nothing else.
        tally.CompareRows(before, await DatabaseSnapshot.TakeAsync(app.Services), "AuditLog");
        tally.ReportAndAssert(output.WriteLine);
    }

    /// <summary>Bodies no endpoint can accept: each must be refused with 4xx ProblemDetails.</summary>
    private static IEnumerable<(string Name, byte[] Body)> MalformedBodies()
    {
        static byte[] U(string text) => Encoding.UTF8.GetBytes(text);
        yield return ("an empty body", []);
        yield return ("truncated JSON", U("{\"email\":\"a@example.com\",\"firstName\":"));
        yield return ("a truncated string", U("{\"email\":\"a@exa"));
        yield return ("10,000 nested arrays", U(new string('[', 10_000) + new string(']', 10_000)));
        yield return ("10,000 nested objects", U(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)));
        yield return ("10,000 nested arrays in a field", U("{\"items\":" + new string('[', 10_000) + new string(']', 10_000) + "}"));
        yield return ("null", U("null"));
        yield return ("an array", U("[]"));
        yield return ("a string", U("\"hello\""));
        yield return ("a number", U("42"));
        yield return ("wrong types", U("{\"email\":123,\"firstName\":[],\"marketingConsent\":\"yes\",\"items\":\"many\",\"total\":\"ten\",\"discountValue\":{},\"variants\":7,\"startsAt\":true,\"orderId\":5}"));
        yield return ("a number too large for any type", U("{\"total\":1e400,\"discountValue\":1e400,\"itemCount\":1e400,\"holdoutShare\":1e400,\"orderTotal\":1e400}"));
        yield return ("integers too large", U("{\"itemCount\":99999999999999999999999999999999,\"validityDays\":99999999999999999999,\"everyNth\":-99999999999999999999}"));
        yield return ("a decimal beyond decimal", U("{\"total\":-79228162514264337593543950336,\"orderTotal\":79228162514264337593543950336}"));
        yield return ("NaN and Infinity", U("{\"total\":NaN,\"discountValue\":Infinity,\"orderTotal\":-Infinity}"));
        yield return ("invalid UTF-8", [.. U("{\"firstName\":\""), 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80, .. U("\",\"name\":\""), 0xC0, 0xAF, .. U("\"}")]);
        yield return ("a lone surrogate", U("{\"firstName\":\"\\uD800\",\"name\":\"\\uDFFF\",\"orderId\":\"\\uD800\"}"));
        yield return ("a NUL character", U("{\"email\":\"a\\u0000@example.com\",\"name\":\"\\u0000\"}"));
        yield return ("two documents", U("{} {}"));
        yield return ("comments", U("/* hi */ {\"email\": \"a@example.com\" // x\n}"));
        yield return ("single quotes", U("{'email':'a@example.com'}"));
        yield return ("a trailing comma", U("{\"email\":\"a@example.com\",}"));
        yield return ("dates that are not dates", U("{\"placedAt\":\"31-31-2026\",\"startsAt\":\"yesterday\",\"occurredAt\":\"0000-00-00T00:00:00Z\",\"marketingConsentAt\":\"9999-99-99\"}"));
        yield return ("items null", U("{\"items\":null}"));
        yield return ("items of nulls", U("{\"items\":[null,null]}"));
        yield return ("items of the wrong type", U("{\"items\":[1,\"two\",[3],true]}"));
        yield return ("1,001 items", U("{\"items\":[" + string.Join(',', Enumerable.Repeat("{}", 1_001)) + "]}"));
        yield return ("names that are not enum members", U("{\"discountKind\":\"free-money\",\"qualifying\":\"always\",\"kind\":\"exploded\",\"holdoutTreatment\":99}"));
        yield return ("variants of nulls", U("{\"name\":\"x\",\"discountValue\":10,\"startsAt\":\"2026-12-01T00:00:00Z\",\"variants\":[null]}"));
        yield return ("variants null", U("{\"name\":\"x\",\"discountValue\":10,\"startsAt\":\"2026-12-01T00:00:00Z\",\"variants\":null}"));
        yield return ("a BOM and nothing else", [0xEF, 0xBB, 0xBF]);
    }

    /// <summary>Bodies sent with a content type the JSON endpoints do not read.</summary>
    private static IEnumerable<(string Name, Func<HttpContent> Content)> WrongContentTypes()
    {
        yield return ("text/plain", () => new StringContent("{}", Encoding.UTF8, "text/plain"));
        yield return ("application/xml", () => new StringContent("<customer><email>a@example.com</email></customer>", Encoding.UTF8, "application/xml"));
        yield return ("a form", () => new FormUrlEncodedContent([new("email", "a@example.com")]));
        yield return ("multipart", () => new MultipartFormDataContent { { new StringContent("{}"), "file", "x.json" } });
        yield return ("no content type", () => new ByteArrayContent(Encoding.UTF8.GetBytes("{}")));
        yield return ("a made-up content type", () =>
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}"));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=made-up-7");
            return content;
        });
        yield return ("UTF-16 declared, UTF-8 sent", () =>
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"email\":"));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");
            return content;
        });
        yield return ("a broken content type header", () =>
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}"));
            content.Headers.TryAddWithoutValidation("Content-Type", ";;;/\r");
            return content;
        });
    }

    /// <summary>A valid token changed in small ways, and things that are not tokens at all.</summary>
    private static IEnumerable<string> Forgeries(string token)
    {
        var middle = token.Length / 2;
        yield return token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        yield return (token[0] == 'A' ? 'B' : 'A') + token[1..];
        yield return token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
        yield return token[..^1];
        yield return token + "A";
        yield return "fh_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        yield return new string('A', token.Length);
        yield return "%%%%";
        yield return "' OR '1'='1";
        yield return "../../etc/passwd";
        yield return "\u0000";
        yield return new string('x', 4_000);
        yield return "é€😀";
    }

    /// <summary>A NUL never reaches the app in a path: Kestrel refuses it (400), and the in-memory test server cannot even build the request.</summary>
    private static bool InPath(string text) => !text.Contains('\0', StringComparison.Ordinal);

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A body without a Content-Length, so the limit must be enforced while reading.</summary>
    private static StreamContent Streamed(byte[] body)
    {
        var content = new StreamContent(new UnknownLengthStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static Dictionary<string, object?> CampaignBody(string name) => new()
    {
        ["name"] = name, ["discountKind"] = "percentage", ["discountValue"] = 10, ["qualifying"] = "everyOrder", ["startsAt"] = "2026-12-01T00:00:00Z",
        ["holdoutShare"] = 0.1, ["variants"] = new object[] { new { name = "A", weight = 1 } },
    };

    private static async Task<long> CreateCampaignAsync(HttpClient campaigns, string name)
    {
        using var created = await campaigns.PostAsJsonAsync(new Uri("/api/v1/campaigns", UriKind.Relative), CampaignBody(name));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
    }

    private static async Task StartThankYouCampaignAsync(FeedbackHubFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var editor = scope.ServiceProvider.GetRequiredService<CampaignEditor>();
        var created = await editor.CreateAsync(Actor.System, new CampaignInput
        {
            Name = "Thanks", DiscountValue = 10, HoldoutShare = 0, Qualifying = QualifyingOrders.EveryOrder, StartsAt = DateTimeOffset.UtcNow.AddDays(-1), SendDelayMinutes = 0,
        }, CancellationToken.None);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
        await editor.SetStatusAsync(Actor.System, created.Value!.Id, CampaignAction.Resume, CancellationToken.None);
    }

    /// <summary>The staff sign-in cookie ("name=value") the login form sets for this account.</summary>
    private static async Task<string> StaffCookieAsync(FeedbackHubFactory app, string email)
    {
        using var session = new BrowserSession(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        // Without a cookie jar the form's antiforgery cookie must travel by hand: read the page, then post with its cookie.
        using var page = await session.Client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var antiforgery = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        var html = await page.Content.ReadAsStringAsync();
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var form = document.QuerySelectorAll("form").First(f => f.QuerySelector("input[name=_handler]")?.GetAttribute("value") == "login");
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["Input.Email"] = email;
        fields["Input.Password"] = FeedbackHubFactory.Password;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", string.Join("; ", antiforgery));
        using var login = await session.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("FeedbackHub.Staff=", StringComparison.Ordinal));
    }

    private static HttpRequestMessage WithCookie(string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return request;
    }

    /// <summary>The header names of a raw message, up to the first blank line, folded lines joined.</summary>
    private static List<string> HeaderNames(string source)
    {
        var end = source.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? source : source[..end];
        return [.. head.Split("\r\n").Where(line => line.Length > 0 && !char.IsWhiteSpace(line[0]) && line.Contains(':', StringComparison.Ordinal))
            .Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)])];
    }

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\u0085", "\\u0085", StringComparison.Ordinal).Replace("\u2028", "\\u2028", StringComparison.Ordinal);

    private static string Shorten(string text) => Escape(text.Length <= 24 ? text : text[..24] + "…");

    /// <summary>A readable stream that does not tell its length, as a client streaming a body does.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
