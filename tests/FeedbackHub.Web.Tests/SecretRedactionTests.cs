using System.Net;
using System.Net.Http.Headers;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Staff;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedbackHub.Web.Tests;

/// <summary>Secrets never reach a log line or the audit trail, even with every category logging at Trace.</summary>
public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("Request starting HTTP/1.1 GET http://localhost/s/Jx0-_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789ab - - -", "GET http://localhost/s/*** - - -")]
    [InlineData("GET /unsubscribe/CfDJ8Abc-def_ghi/preferences", "GET /unsubscribe/***/preferences")]
    [InlineData("rejected by constraint with value 's/Jx0-_aBcDeFgHiJkLmNo'", "value 's/***'")]
    [InlineData("http://localhost/setup?token=abc123def456", "http://localhost/setup?token=***")]
    [InlineData("/account/accept-invitation?userId=42&code=Q2ZESjhB", "/account/accept-invitation?userId=42&code=***")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "Authorization: Bearer ***")]
    [InlineData("key fh_0123abcd4567ef89_c2VjcmV0 used", "key fh_*** used")]
    [InlineData("Cookie: FeedbackHub.Staff=CfDJ8abc; fh_survey=CfDJ8xyz", "Cookie: FeedbackHub.Staff=***; fh_survey=***")]
    public void Redact_SecretShapedParts_AreMasked(string text, string expectedEnd) =>
        Assert.EndsWith(expectedEnd, SecretRedaction.Redact(text), StringComparison.Ordinal);

    [Fact]
    public void Redact_OrdinaryText_IsReturnedAsItIs()
    {
        const string text = "Executed endpoint 'HTTP: GET /dashboards/customers/{CustomerId:long}' with status code 200";

        Assert.Same(text, SecretRedaction.Redact(text));
    }

    [Fact]
    public async Task LogsAndAudit_AfterLoginsApiKeySurveyAndUnsubscribeLinks_HoldNoneOfTheSecrets()
    {
        var capture = new CapturingLoggerProvider();
        using var original = new FeedbackHubFactory(settings: new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Scheduler:Enabled"] = "false",
        });
        using var app = original.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddProvider(capture)));
        var secrets = new List<string> { FeedbackHubFactory.Password, "Wrong horse battery staple 8" };

        // Staff: a failed and a successful login with a password.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();
            var admin = new StaffUser { UserName = "admin@example.com", Email = "admin@example.com", EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
            Assert.True((await users.CreateAsync(admin, FeedbackHubFactory.Password)).Succeeded);
            await users.AddToRoleAsync(admin, StaffRoles.Admin);
        }

        using var session = new BrowserSession(app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        (await session.LogInAsync("admin@example.com", secrets[1])).Dispose();
        using (var login = await session.LogInAsync("admin@example.com", FeedbackHubFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            secrets.AddRange(CookieValues(login));
        }

        await session.GetPageAsync("/admin/api-keys");

        // An API key, created by the admin and used.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
                .CreateAsync(new Actor(null, "admin@example.com"), "Webshop", [ApiScopes.Read], CancellationToken.None);
            secrets.Add(created.Value!.Secret);
            secrets.Add(created.Value.Secret[(created.Value.Secret.LastIndexOf('_') + 1)..]);
        }

        using (var api = app.CreateClient())
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secrets[^2]);
            using var read = await api.GetAsync(new Uri("/api/v1/customers/c-nobody@example.nl", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        // A staff invitation link, opened.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var invitation = await scope.ServiceProvider.GetRequiredService<StaffAdministration>()
                .InviteAsync(new Actor(null, "admin@example.com"), "new@example.com", null, [StaffRoles.Marketer], CancellationToken.None);
            var link = StaffLinks.Invitation(new Uri("http://localhost/"), invitation.Value!);
            secrets.Add(invitation.Value!.Token!);
            secrets.Add(System.Web.HttpUtility.ParseQueryString(link.Query)["code"]!);
            using var opened = await app.CreateClient().GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));
        }

        // A customer follows the survey link from their email, answers, and unsubscribes with the link in the same email.
        await ExitSurveys.InviteChurnedCustomerAsync(app.Services, "anna@example.nl");
        var surveyLink = await ExitSurveys.LinkPathAsync(app.Services, "anna@example.nl");
        secrets.Add(surveyLink["/s/".Length..]);
        using (var customer = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }))
        {
            using (var opened = await customer.GetAsync(new Uri(surveyLink, UriKind.Relative)))
            {
                secrets.AddRange(CookieValues(opened));
            }

            var form = await customer.GetStringAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative));
            using var answered = await customer.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative), ExitSurveys.Answers(form, "price", "Too expensive.", "5"));
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }

        string unsubscribe;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            unsubscribe = new Uri((await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxEmails.Where(e => e.ListUnsubscribeUrl != null).Select(e => e.ListUnsubscribeUrl).FirstAsync())!).AbsolutePath;
        }

        secrets.Add(unsubscribe.Split('/')[2]);
        using (var unsubscriber = app.CreateClient())
        {
            using var page = await unsubscriber.GetAsync(new Uri(unsubscribe, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            using var clicked = await unsubscriber.PostAsync(new Uri(unsubscribe, UriKind.Relative), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        }

        var lines = capture.Entries.Select(e => $"{e.Category}: {e.Message} {e.Exception}").ToList();
        List<string> audit;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            audit = [.. (await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditLog.AsNoTracking().ToListAsync())
                .Select(a => $"{a.ActorName} {a.Action} {a.Target} {a.Details}")];
        }

        // The request lines were logged (with the link masked), so the absence of secrets means something.
        Assert.Contains(lines, l => l.Contains("GET http://localhost/s/***", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/unsubscribe/***", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Contains("staff.login-failed", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Contains("apikey.created", StringComparison.Ordinal));
        Assert.True(secrets.Count >= 9, $"collected {secrets.Count} secrets");
        foreach (var (secret, index) in secrets.Select((s, i) => (s, i)).Where(s => s.s.Length >= 8))
        {
            // The message names the secret by its place in the list and shows the line without it.
            var leak = lines.Concat(audit).FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"secret #{index} leaked: {leak?.Replace(secret, "<SECRET>", StringComparison.Ordinal)}");
        }
    }

    /// <summary>The values of the cookies a response sets (session, survey session, antiforgery).</summary>
    private static IEnumerable<string> CookieValues(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).Select(c => c[(c.IndexOf('=', StringComparison.Ordinal) + 1)..]).Where(v => v.Length >= 8)
            : [];
}
