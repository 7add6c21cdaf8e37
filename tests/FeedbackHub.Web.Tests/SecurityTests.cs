using System.Net;
using System.Text.RegularExpressions;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Security;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Security headers, rate and size limits, error pages outside Development, and customer links that open only their own records.</summary>
public sealed partial class SecurityTests : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/customers/x")]
    [InlineData("/app.css")]
    [InlineData("/no-such-page")]
    public async Task AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        using var client = _factory.CreateBrowserLikeClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.DoesNotMatch("script-src[^;]*unsafe-inline", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Page_AllowsItsImportMapByANonceThatIsNewEveryTime()
    {
        using var client = _factory.CreateBrowserLikeClient();

        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            var inPage = ImportMapNonce().Match(html).Groups[1].Value;
            Assert.Contains($"script-src 'self' 'nonce-{inPage}'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            nonces.Add(inPage);
        }

        Assert.Equal(2, nonces.Distinct().Count(n => n.Length >= 20));
    }

    [Fact]
    public async Task Https_OutsideDevelopment_SendsHsts()
    {
        using var production = _factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://feedback.example.com"), AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_OutsideDevelopment_ShowsNoExceptionOnAPageOrInTheApi()
    {
        using var production = _factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var api = await production.CreateApiClientAsync(ApiScopes.Read);
        using var browser = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await using (var scope = production.Services.CreateAsyncScope())
        {
            // A real failure deep in the data layer: the tables these requests read are gone.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"SurveyInvitations\" RENAME TO \"GoneInvitations\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Customers\" RENAME TO \"GoneCustomers\"");
        }

        using var page = await browser.GetAsync(new Uri("/s/" + new string('A', 43), UriKind.Relative));
        using var problem = await api.GetAsync(new Uri("/api/v1/customers/c-1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        var json = await problem.Content.ReadAsStringAsync();
        Assert.Contains("The request failed on our side", json, StringComparison.Ordinal);
        foreach (var body in new[] { html, json })
        {
            Assert.DoesNotContain("no such table", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LogIn_OverTheLimitPerAddress_Answers429WithRetryAfter_AndTheFormStillShows()
    {
        using var limited = Limited("Limits:AccountFormPostsPerMinute", "2");
        using var session = new BrowserSession(limited.CreateBrowserLikeClient());

        (await session.LogInAsync("nobody@example.com", "a wrong password 1")).Dispose();
        (await session.LogInAsync("nobody@example.com", "a wrong password 2")).Dispose();
        using var third = await session.LogInAsync("nobody@example.com", "a wrong password 3");

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Contains("Too many requests", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Reading the page costs no attempt.
        Assert.Contains("Log in", await session.GetPageAsync("/account/login"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyPost_OverTheLimitPerAddress_Answers429InTheCustomersLanguage()
    {
        using var limited = Limited("Limits:SurveyPostsPerMinute", "1");
        await ExitSurveys.InviteChurnedCustomerAsync(limited.Services, "eager@example.nl", CustomerLocales.Dutch);
        using var client = limited.CreateBrowserLikeClient();
        // The refusal comes before the form is read, so it speaks the browser's language.
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl-NL");
        var form = await ExitSurveys.OpenSurveyAsync(client, limited.Services, "eager@example.nl");

        using var first = await client.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative), ExitSurveys.Answers(form, "", "no reason chosen", "5"));
        using var second = await client.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative), ExitSurveys.Answers(form, "price", "Te duur.", "5"));

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(second.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("Te veel pogingen", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = limited.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.ToListAsync());
    }

    [Theory]
    [InlineData("Limits__AccountFormPostsPerMinute", "0", "Limits:AccountFormPostsPerMinute must be between 1 and 10000.")]
    [InlineData("Limits__SurveyPostsPerMinute", "-1", "Limits:SurveyPostsPerMinute must be between 1 and 100000.")]
    [InlineData("Limits__MaxFormBodyBytes", "100", "Limits:MaxFormBodyBytes must be between 16384 and 10000000.")]
    public async Task Start_WithABadLimit_StopsNamingTheSetting(string variable, string value, string expected)
    {
        using var workingDirectory = new TemporaryDirectory();
        var app = Path.Combine(AppContext.BaseDirectory, "FeedbackHub.Web.dll");

        var result = await ProcessRunner.RunAsync("dotnet", [app], new Dictionary<string, string?>
        {
            [variable] = value,
            ["Storage__DataDirectory"] = Path.Combine(workingDirectory.Path, "data"),
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        }, workingDirectory.Path, timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormPost_OverTheBodyLimit_Answers413_BeforeAnythingReadsIt()
    {
        using var limited = Limited("Limits:MaxFormBodyBytes", "16384");
        using var session = new BrowserSession(limited.CreateBrowserLikeClient());

        using var login = await session.LogInAsync("someone@example.com", new string('x', 20_000));
        using var survey = await session.Client.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative),
            new FormUrlEncodedContent([new("comment", new string('y', 20_000))]));
        using var unsubscribe = await session.Client.PostAsync(new Uri("/unsubscribe/whatever", UriKind.Relative),
            new FormUrlEncodedContent([new("lang", new string('z', 20_000))]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, login.StatusCode);
        var html = await login.Content.ReadAsStringAsync();
        Assert.True(html.Contains("larger than this page accepts", StringComparison.Ordinal), html);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, survey.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, unsubscribe.StatusCode);
    }

    [Fact]
    public async Task BodyLimits_AreSmallForFormsAndTheApi_AndLargeOnlyForTheCsvUpload()
    {
        using var client = _factory.CreateClient();
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        long? LimitOf(string pattern, string method = "POST") => RequestBodyLimits.LimitFor(
            endpoints.First(e => e.RoutePattern.RawText == pattern && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods.Contains(method) != false),
            _factory.Services);

        Assert.Equal(128 * 1024, LimitOf("/account/login"));
        Assert.Equal(128 * 1024, LimitOf("/survey"));
        Assert.Equal(64 * 1024, LimitOf("/api/v1/customers/{externalId}", "PUT"));
        Assert.Equal(4 * 1024 * 1024, LimitOf("/api/v1/customers/batch"));
        Assert.Equal(Features.Import.ImportJobs.MaxUploadBytes, LimitOf("/import/upload"));
        Assert.Null(LimitOf("/_blazor"));

        // The upload really takes more than a form: a 1 MB file reaches the importer.
        using var session = await _factory.SignedInAsync("importer@example.com", StaffRoles.Marketer);
        var page = await session.GetPageAsync("/import");
        var token = AntiforgeryField().Match(page);
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token.Groups["value"].Value), token.Groups["name"].Value },
            { new StringContent("external_id,email\n" + string.Concat(Enumerable.Repeat("c-1,a@example.com\n", 60_000))), "file", "big.csv" },
        };
        using var uploaded = await session.Client.PostAsync(new Uri("/import/upload", UriKind.Relative), upload);
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
    }

    [Fact]
    public async Task UnsubscribeToken_ChangesOnlyItsOwnAddress_AndATamperedOneNothing()
    {
        var links = _factory.Services.GetRequiredService<UnsubscribeLinks>();
        var token = new Uri(links.For("ann@example.com")).Segments[^1];
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

        using var forged = await client.PostAsync(new Uri($"/unsubscribe/{tampered}", UriKind.Relative), OneClick());
        using var real = await client.PostAsync(new Uri($"/unsubscribe/{token}", UriKind.Relative), OneClick());

        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(["ann@example.com"], await scope.ServiceProvider.GetRequiredService<AppDbContext>().Suppressions.Select(s => s.Address).ToListAsync());

        static FormUrlEncodedContent OneClick() => new([new("List-Unsubscribe", "One-Click")]);
    }

    [Fact]
    public async Task SurveySession_OpensOnlyItsOwnInvitation_AndAForgedCookieOpensNone()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "first@example.com");
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "second@example.com");
        long secondInvitation;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            secondInvitation = await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyInvitations
                .Where(i => i.Customer!.Email == "second@example.com").Select(i => i.Id).SingleAsync();
        }

        using var client = _factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "first@example.com");
        using var answered = await client.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative), ExitSurveys.Answers(form, "price", "mine", "5"));
        // The session cookie is signed: naming another invitation in it opens nothing.
        using var forger = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var forgedRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(SurveyLinks.SurveyPath, UriKind.Relative));
        forgedRequest.Headers.Add("Cookie", $"{SurveyLinks.CookieName}={secondInvitation}|{DateTimeOffset.UtcNow.AddHours(1).UtcTicks}");
        using var forged = await forger.SendAsync(forgedRequest);

        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        await using var check = _factory.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var answers = await db.SurveyResponses.Select(r => new { r.Comment, r.Invitation!.Customer!.Email }).ToListAsync();
        Assert.Equal("first@example.com", Assert.Single(answers).Email);
        Assert.Null(await db.SurveyInvitations.Where(i => i.Id == secondInvitation).Select(i => i.OpenedAt).SingleAsync());
    }

    public void Dispose() => _factory.Dispose();

    private static FeedbackHubFactory Limited(string key, string value) => new(settings: new Dictionary<string, string> { [key] = value });

    [GeneratedRegex("<script type=\"importmap\" nonce=\"([^\"]+)\"")]
    private static partial Regex ImportMapNonce();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex AntiforgeryField();
}
