using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Email;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>A customer's data export (GDPR access request): over the API with the privacy scope, and as the admin's download on the customer page.</summary>
public sealed class CustomerExportTests : IDisposable
{
    private const string Email = "anna@example.nl";
    private readonly FeedbackHubFactory _app = new(settings: new Dictionary<string, string>
    {
        ["Email:PostalAddress"] = "Example Shop, Damrak 1, 1012 LG Amsterdam",
        ["Scheduler:Enabled"] = "false",
    });

    [Fact]
    public async Task ExportApi_PrivacyScope_HoldsEverythingAboutTheCustomer_WithLinksMasked_AndIsAudited()
    {
        var externalId = await RichCustomerAsync(_app);
        using var api = await _app.CreateApiClientAsync(ApiScopes.Privacy);
        using var reader = await _app.CreateApiClientAsync(ApiScopes.Read);

        using var response = await api.GetAsync(new Uri($"/api/v1/customers/{externalId}/export", UriKind.Relative));
        using var refused = await reader.GetAsync(new Uri($"/api/v1/customers/{externalId}/export", UriKind.Relative));
        using var unknown = await api.GetAsync(new Uri("/api/v1/customers/nobody/export", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var export = JsonDocument.Parse(text).RootElement;
        Assert.Equal((Email, "Sam", false), (export.GetProperty("customer").GetProperty("email").GetString(),
            export.GetProperty("customer").GetProperty("firstName").GetString(), export.GetProperty("customer").GetProperty("erased").GetBoolean()));
        Assert.Equal((false, "account-page"), (export.GetProperty("consent").GetProperty("marketingConsent").GetBoolean(), export.GetProperty("consent").GetProperty("source").GetString()));
        Assert.NotEqual(JsonValueKind.Null, export.GetProperty("consent").GetProperty("recordedAt").ValueKind);
        Assert.Equal((true, false), (export.GetProperty("suppression").GetProperty("offersSuppressed").GetBoolean(), export.GetProperty("suppression").GetProperty("surveysSuppressed").GetBoolean()));
        Assert.Equal("unsubscribed", export.GetProperty("suppression").GetProperty("entries")[0].GetProperty("reason").GetString());
        Assert.Equal("o-1", export.GetProperty("orders")[0].GetProperty("externalId").GetString());
        Assert.Equal("cancelled", export.GetProperty("subscriptionEvents")[0].GetProperty("kind").GetString());
        Assert.Equal("Thanks", export.GetProperty("discountCodes")[0].GetProperty("campaign").GetString());
        Assert.Equal("Thanks", export.GetProperty("campaignAssignments")[0].GetProperty("campaign").GetString());
        Assert.Equal("Thanks", export.GetProperty("thankYous")[0].GetProperty("campaign").GetString());
        Assert.Equal("subscriptionCancelled", export.GetProperty("churnEvents")[0].GetProperty("kind").GetString());
        var answer = export.GetProperty("surveyInvitations")[0].GetProperty("answer");
        Assert.Equal(("price", "Too expensive since the new prices."), (answer.GetProperty("chosenReason").GetString(), answer.GetProperty("comment").GetString()));
        var emails = export.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("template").GetString()).ToList();
        Assert.Contains("exit-survey", emails);
        Assert.Contains("thank-you", emails);
        // The export may travel by email or sit in a download folder: working survey and unsubscribe links stay out of it.
        Assert.DoesNotMatch(@"/s/[A-Za-z0-9_-]{43}", text);
        Assert.DoesNotMatch(@"/unsubscribe/[A-Za-z0-9_-]{20,}", text);
        await using var scope = _app.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditLog.AsNoTracking().SingleAsync(a => a.Action == AuditActions.CustomerExported);
        Assert.Equal("test key", audit.ActorName);
    }

    [Fact]
    public async Task CustomerPage_AdminDownloadsTheJson_OthersSeeNoButtonAndAreRefused()
    {
        await RichCustomerAsync(_app);
        long id;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Customers.Where(c => c.Email == Email).Select(c => c.Id).SingleAsync();
        }

        using var admin = await _app.SignedInAsync("admin@example.com", StaffRoles.Admin);
        using var marketer = await _app.SignedInAsync("marketer@example.com", StaffRoles.Marketer);
        var adminPage = await admin.GetPageAsync($"/dashboards/customers/{id}");
        var marketerPage = await marketer.GetPageAsync($"/dashboards/customers/{id}");
        using var download = await admin.Client.GetAsync(new Uri($"/dashboards/customers/{id}/export.json", UriKind.Relative));
        using var refused = await marketer.Client.GetAsync(new Uri($"/dashboards/customers/{id}/export.json", UriKind.Relative));

        Assert.Contains($"href=\"dashboards/customers/{id}/export.json\"", adminPage, StringComparison.Ordinal);
        Assert.Contains("Erase this customer", adminPage, StringComparison.Ordinal);
        Assert.DoesNotContain("export.json", marketerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Erase this customer", marketerPage, StringComparison.Ordinal);
        Assert.Matches(@"No, via account-page, recorded \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", marketerPage);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"customer-{id}.json", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(Email, (await download.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await using var check = _app.Services.CreateAsyncScope();
        Assert.Equal(["admin@example.com"], await check.ServiceProvider.GetRequiredService<AppDbContext>().AuditLog
            .Where(a => a.Action == AuditActions.CustomerExported).Select(a => a.ActorName).ToListAsync());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheExportAndErasureEndpoints()
    {
        using var client = _app.CreateClient();

        var paths = (await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        var export = paths.GetProperty("/api/v1/customers/{externalId}/export").GetProperty("get");
        var erase = paths.GetProperty("/api/v1/customers/{externalId}/erase").GetProperty("post");
        Assert.Equal("Privacy", export.GetProperty("tags")[0].GetString());
        Assert.Contains("GDPR erasure", erase.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(export.GetProperty("responses").TryGetProperty("200", out _));
    }

    public void Dispose() => _app.Dispose();

    /// <summary>
    /// A customer with something in every part of the export, made through the real paths: ingest API,
    /// a thank-you campaign, a subscription cancellation, the exit survey answered over HTTP, consent
    /// withdrawn through the API, and an unsubscription from offers. Returns the shop's id.
    /// </summary>
    internal static async Task<string> RichCustomerAsync(FeedbackHubFactory app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var editor = scope.ServiceProvider.GetRequiredService<CampaignEditor>();
            var created = await editor.CreateAsync(Actor.System, new CampaignInput
            {
                Name = "Thanks", DiscountValue = 10, HoldoutShare = 0, StartsAt = DateTimeOffset.UtcNow.AddDays(-1), SendDelayMinutes = 0,
            }, CancellationToken.None);
            await editor.SetStatusAsync(Actor.System, created.Value!.Id, CampaignAction.Resume, CancellationToken.None);
        }

        await ExitSurveys.InviteChurnedCustomerAsync(app.Services, Email);
        using var browser = app.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(browser, app.Services, Email);
        using (var answered = await browser.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative), ExitSurveys.Answers(form, "price", "Too expensive since the new prices.", "4")))
        {
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }

        var externalId = $"c-{Email}";
        using var ingest = await app.CreateApiClientAsync(ApiScopes.Ingest);
        using (var customer = await ingest.PutAsJsonAsync(new Uri($"/api/v1/customers/{externalId}", UriKind.Relative),
            new { email = Email, marketingConsent = false, marketingConsentSource = "account-page" }))
        {
            Assert.True(customer.IsSuccessStatusCode, await customer.Content.ReadAsStringAsync());
        }

        using (var order = await ingest.PutAsJsonAsync(new Uri("/api/v1/orders/o-1", UriKind.Relative),
            new { customerExternalId = externalId, placedAt = DateTimeOffset.UtcNow.AddMinutes(-5), total = 40m, currency = "EUR", itemCount = 1 }))
        {
            Assert.True(order.IsSuccessStatusCode, await order.Content.ReadAsStringAsync());
        }

        using (var cancelled = await ingest.PostAsJsonAsync(new Uri("/api/v1/subscription-events", UriKind.Relative),
            new { eventId = "e-1", customerExternalId = externalId, kind = "cancelled", occurredAt = DateTimeOffset.UtcNow.AddDays(-2) }))
        {
            Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EmailConsent>().SuppressAsync(Email, SuppressionScope.Offers, SuppressionReason.Unsubscribed, "one-click", DateTimeOffset.UtcNow, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
        }

        return externalId;
    }
}
