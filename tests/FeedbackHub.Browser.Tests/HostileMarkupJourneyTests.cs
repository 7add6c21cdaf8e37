using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Email.Admin;
using FeedbackHub.Web.Features.Email.Templates;
using FeedbackHub.Web.Features.Reasons;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FeedbackHub.Browser.Tests;

/// <summary>
/// Script payloads stored the ways outsiders and staff store text (customer names through the ingest
/// API, survey answers through the emailed link, campaign names and intros through the campaigns API,
/// a template's wording through its editor), then every staff page that shows them opened in real
/// Chromium: no payload may run (<c>window.__xss</c> stays undefined, no dialog opens) and none may
/// become markup (no element with its handler or script), in the page or in its email previews.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileMarkupJourneyTests(BrowserFixture browser, ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Payloads =
    [
        "<script>window.__xss=1</script>",
        "\"><img src=x onerror=\"window.__xss=1\">",
        "javascript:window.__xss=1",
        "<svg onload=window.__xss=1>",
        "'><svg/onload=alert(1)>",
        "<a href=\"javascript:window.__xss=1\">click me</a>",
        "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
        "<img src=x onerror=confirm(1)>",
        "</textarea></title><script>window.__xss=1</script>",
        "<b onmouseover=alert(1)>hover</b><math><mtext></p><script>window.__xss=1</script>",
    ];

    /// <summary>Elements that only exist when a payload became markup (the app renders none of these itself).</summary>
    private const string InjectedMarkup =
        "[onerror], [onload], [onmouseover], a[href^='javascript:' i], script:has-text('__xss'), iframe[srcdoc*='<script>'], img[src='x'], math";

    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp(new Dictionary<string, string>
    {
        ["Api:PermitsPerSecond"] = "100000",
        ["Api:Burst"] = "1000000",
        ["Scheduler:Enabled"] = "false",
    });

    [Fact]
    public async Task StoredScriptPayloads_OnEveryStaffPageThatShowsThem_NeverRunNorBecomeMarkup()
    {
        var tally = new HostileTally("script payloads on staff pages in Chromium");
        var placements = 0;
        using var ingest = await ApiClientAsync(ApiScopes.Ingest);
        using var campaignsApi = await ApiClientAsync(ApiScopes.Campaigns);

        // Churned customers whose shop later sends hostile names; their invitations are already queued.
        var customers = new List<(long Id, string Email)>();
        for (var i = 0; i < Payloads.Length; i++)
        {
            var email = $"xss{i}@example.com";
            var id = await ExitSurveys.InviteChurnedCustomerAsync(_app.Services, email);
            var answer = await tally.SendAsync(ingest, new HttpRequestMessage(HttpMethod.Put, $"/api/v1/customers/{Uri.EscapeDataString($"c-{email}")}")
            {
                Content = JsonContent.Create(new { email, firstName = Payloads[i], lastName = Payloads[(i + 1) % Payloads.Length], locale = "en" }),
            }, $"customer name {i}");
            tally.Expect(answer.Status == System.Net.HttpStatusCode.OK, $"customer name {i}", answer);
            placements += 2;
            customers.Add((id, email));
        }

        // Four of them answer the survey in the browser, every payload in their comment.
        await using (var customerContext = await browser.NewPhoneContextAsync(_app))
        {
            var survey = await customerContext.NewPageAsync();
            foreach (var (_, email) in customers.Take(4))
            {
                await survey.GotoAsync(await ExitSurveys.LinkPathAsync(_app.Services, email));
                await survey.GetByLabel("The price").CheckAsync();
                await survey.GetByLabel("What could we have done better?").FillAsync(string.Join(" ", Payloads));
                await survey.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
                await Assertions.Expect(survey.GetByRole(AriaRole.Heading, new() { Name = "Thank you!" })).ToBeVisibleAsync();
                placements += Payloads.Length;
            }
        }

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ResponseClassifier>().ClassifyPendingAsync(CancellationToken.None);
            // A marketer's wording with every payload, shown in the template preview.
            var saved = await scope.ServiceProvider.GetRequiredService<EmailTextEditor>().SaveAsync(Actor.System, EmailTemplates.ThankYou, "en",
                new Dictionary<string, string> { ["intro"] = string.Join(" ", Payloads), ["heading"] = Payloads[0] }, CancellationToken.None);
            Assert.True(saved.Succeeded, string.Join("; ", saved.Errors));
            placements += Payloads.Length + 1;
        }

        // Campaigns named with payloads, with payloads in a variant's name and intro.
        var campaignIds = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            var body = new Dictionary<string, object?>
            {
                ["name"] = Payloads[i], ["discountKind"] = "percentage", ["discountValue"] = 10, ["qualifying"] = "everyOrder", ["startsAt"] = "2026-12-01T00:00:00Z",
                ["holdoutShare"] = 0.1,
                ["variants"] = new object[] { new { name = Payloads[3], weight = 1, introEnglish = string.Join(" ", Payloads), introDutch = Payloads[1] } },
            };
            var answer = await tally.SendAsync(campaignsApi, new HttpRequestMessage(HttpMethod.Post, "/api/v1/campaigns") { Content = JsonContent.Create(body) }, $"campaign {i}");
            tally.Expect(answer.Status == System.Net.HttpStatusCode.Created, $"campaign {i}", answer);
            if (answer.Status == System.Net.HttpStatusCode.Created)
            {
                campaignIds.Add(JsonDocument.Parse(answer.Body).RootElement.GetProperty("id").GetInt64());
                placements += 4;
            }
        }

        long[] churnEvents;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            churnEvents = [.. await db.SurveyResponses.OrderBy(r => r.Id).Select(r => r.Invitation!.ChurnEventId).Take(2).ToListAsync()];
        }

        await _app.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        // The control: the same payloads as raw markup on a page without our policy are found, and they run. A detector that finds nothing there proves nothing.
        var control = await context.NewPageAsync();
        await control.SetContentAsync(string.Join("", Payloads));
        await control.WaitForTimeoutAsync(200);
        Assert.True(await control.Locator(InjectedMarkup).CountAsync() >= Payloads.Length - 3, "the detector finds raw payloads");
        Assert.True(await control.EvaluateAsync<bool>("() => typeof window.__xss !== 'undefined'"), "raw payloads run where nothing stops them");
        await control.CloseAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add($"{page.Url}: {dialog.Type} {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        await BrowserFixture.LogInAsync(page, "admin@example.com", FeedbackHubFactory.Password);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to FeedbackHub" })).ToBeVisibleAsync();

        var shownOn = new List<string>();
        async Task CheckAsync(string where)
        {
            await Assertions.Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            // Long enough for an onload or onerror handler on an image that failed to load.
            await page.WaitForTimeoutAsync(200);
            foreach (var frame in page.Frames)
            {
                var injected = await frame.Locator(InjectedMarkup).CountAsync();
                if (injected > 0)
                {
                    var first = await frame.Locator(InjectedMarkup).First.EvaluateAsync<string>("e => e.outerHTML.slice(0, 160)");
                    tally.Executed($"{where}: {injected} elements from payloads in frame '{frame.Name}{frame.Url}', e.g. {first}");
                }

                if (await frame.Locator("body").InnerTextAsync() is var text && Payloads.Any(p => text.Contains(p, StringComparison.Ordinal)))
                {
                    shownOn.Add(where);
                }
            }

            // Email previews are sandboxed without scripts: where no script may run, there is nothing to ask.
            var ran = await page.EvaluateAsync<bool>("() => typeof window.__xss !== 'undefined'");
            if (ran)
            {
                tally.Executed($"{where}: window.__xss is set");
            }
        }

        var pages = new List<(string Where, Func<Task> Open)>
        {
            ("customer directory", () => page.GotoAsync("/dashboards/customers")),
            ("survey responses", () => page.GotoAsync("/surveys/responses")),
            ("reason review", () => page.GotoAsync("/surveys/review")),
            ("campaigns", () => page.GotoAsync("/campaigns")),
            ("campaign dashboard", () => page.GotoAsync("/dashboards/campaigns")),
            ("email templates", async () =>
            {
                await page.GotoAsync("/admin/email-templates");
                await Assertions.Expect(page.Locator("#template")).ToBeEnabledAsync(new() { Timeout = 30_000 });
                await page.Locator("#template").SelectOptionAsync(EmailTemplates.ThankYou.Key);
                await Assertions.Expect(page.Locator("#blocks-heading")).ToContainTextAsync(EmailTemplates.ThankYou.Title);
            }),
            ("outbox", () => page.GotoAsync("/admin/mail")),
            ("audit log", () => page.GotoAsync("/admin/audit")),
            ("churn reasons drill-down", async () =>
            {
                // The customers churned an hour ago: this month's bars (the page's default period ends with the last full month).
                await page.GotoAsync($"/dashboards/churn-reasons?period={DateTime.UtcNow.AddHours(-1):yyyy-MM}");
                var bar = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("show them$") }).First;
                await Assertions.Expect(bar).ToBeEnabledAsync(new() { Timeout = 30_000 });
                await bar.ClickAsync();
                await Assertions.Expect(page.Locator("#drill-heading")).ToBeVisibleAsync();
            }),
        };
        pages.AddRange(customers.Take(2).Select(c => ($"customer {c.Id}", (Func<Task>)(() => page.GotoAsync($"/dashboards/customers/{c.Id}")))));
        pages.AddRange(churnEvents.Select(id => ($"survey response {id}", (Func<Task>)(() => page.GotoAsync($"/surveys/responses/{id}")))));
        pages.AddRange(campaignIds.Take(2).Select(id => ($"campaign {id}", (Func<Task>)(() => page.GotoAsync($"/campaigns/{id}")))));
        foreach (var (where, open) in pages)
        {
            await tally.TryAsync(async () =>
            {
                await open();
                await CheckAsync(where);
                return true;
            }, where);
        }

        foreach (var dialog in dialogs)
        {
            tally.Executed("dialog opened: " + dialog);
        }

        output.WriteLine($"{placements} payload placements stored, {pages.Count} staff pages opened; payload text shown on: {string.Join(", ", shownOn.Distinct())}");
        // The pages really showed the payloads (as text): otherwise this test would prove nothing.
        foreach (var where in new[] { "customer directory", "survey responses", "campaigns", "email templates", "churn reasons drill-down", $"customer {customers[0].Id}" })
        {
            if (!shownOn.Contains(where))
            {
                tally.Unexpected($"{where} showed no payload text");
            }
        }

        tally.ReportAndAssert(output.WriteLine);
    }

    public void Dispose() => _app.Dispose();

    /// <summary>A client of the running server with a new key for <paramref name="scope"/>.</summary>
    private async Task<HttpClient> ApiClientAsync(string scope)
    {
        await using var services = _app.Services.CreateAsyncScope();
        var created = await services.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(Actor.System, "hostile " + scope, [scope], CancellationToken.None);
        var client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.Secret);
        return client;
    }
}
