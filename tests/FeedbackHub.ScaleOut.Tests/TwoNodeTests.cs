using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email.Templates;
using FeedbackHub.Web.Features.Ingest;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace FeedbackHub.ScaleOut.Tests;

/// <summary>
/// What running several nodes promises, shown on two real processes: each scheduled firing runs on
/// one node, each email is sent once whichever node queued or sent it, and sign-ins and survey
/// sessions made on one node are honoured by the other. On failure the nodes' output is printed.
/// </summary>
public sealed partial class TwoNodeTests(TwoNodeCluster cluster, ITestOutputHelper output) : IClassFixture<TwoNodeCluster>
{
    private const int Emails = 500;
    private const string CustomerDomain = "shop-customers.example";

    [Fact]
    public Task ScheduledJobs_TwoNodesOnOneDatabase_EachFiringRunsOnOneNodeOnly() => ShowingOutputAsync(async () =>
    {
        const int FiringsPerJob = 6;
        var firings = await EventuallyAsync(
            Firings,
            found => TwoNodeCluster.FrequentJobs.Keys.All(job => found.Count(f => f.Job == job) >= FiringsPerJob),
            TimeSpan.FromSeconds(60));

        foreach (var job in TwoNodeCluster.FrequentJobs.Keys)
        {
            Assert.True(firings.Count(f => f.Job == job) >= FiringsPerJob, $"Job {job} fired {firings.Count(f => f.Job == job)} time(s) in a minute.");
        }

        var twice = firings.GroupBy(f => (f.Job, f.ScheduledFor)).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.Job} at {g.Key.ScheduledFor:O} ran on {string.Join(" and ", g.Select(f => f.Node))}").ToList();
        Assert.True(twice.Count == 0, "Firings that ran more than once:\n" + string.Join('\n', twice));
        var byNode = firings.GroupBy(f => f.Node).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{firings.Count} firings of {TwoNodeCluster.FrequentJobs.Count} jobs, none twice; by node: "
            + string.Join(", ", byNode.Select(n => $"{n.Key} {n.Value}")));
        // Both nodes take triggers from the shared store: the cluster is real, not one node doing all the work.
        Assert.Equal(2, byNode.Count);
        // Both checked in as members of one cluster (which is what lets one take over a crashed node's firings).
        Assert.All(cluster.Nodes, node => Assert.Contains("Job scheduler started on Postgres (clustered: True)", node.Output, StringComparison.Ordinal));
        await using var db = cluster.CreateContext();
        var members = await db.Database.SqlQueryRaw<string>("SELECT instance_name AS \"Value\" FROM qrtz_scheduler_state").ToListAsync();
        Assert.Equal(2, members.Count);
        Assert.Equal(firings.Select(f => f.Instance).Distinct().Order(), members.Order());
        Assert.Empty(Matches(JobFailure()));
    });

    [Fact]
    public Task Outbox_500ThankYousQueuedOnBothNodes_EachIsSentExactlyOnce() => ShowingOutputAsync(async () =>
    {
        var batch = Guid.NewGuid().ToString("N")[..6];
        using var nodeA = Api(cluster.NodeA);
        using var nodeB = Api(cluster.NodeB);
        var customers = Enumerable.Range(0, Emails).Select(i => new CustomerInput
        {
            ExternalId = $"c-{batch}-{i}", Email = $"customer{i}-{batch}@{CustomerDomain}", FirstName = $"Klant {i}",
            Locale = i % 3 == 0 ? "en" : "nl", MarketingConsent = true,
        }).ToList();
        await Task.WhenAll(customers.Chunk(100).Select((chunk, i) => PostAsync(i % 2 == 0 ? nodeA : nodeB, "api/v1/customers/batch", chunk)));

        // Ten batches of fifty first orders, half through each node, all at once: both nodes queue thank-yous while both dispatch.
        var clock = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var orders = customers.Select((customer, i) => new OrderInput
        {
            ExternalId = $"o-{batch}-{i}", CustomerExternalId = customer.ExternalId, PlacedAt = now.AddMinutes(-5), Total = 20 + (i % 50), Currency = "EUR", ItemCount = 1,
        }).ToList();
        await Task.WhenAll(orders.Chunk(50).Select((chunk, i) => PostAsync(i % 2 == 0 ? nodeA : nodeB, "api/v1/orders/batch", chunk)));
        var queued = clock.Elapsed;

        var thankYou = EmailTemplates.ThankYou.Key;
        var statuses = await EventuallyAsync(
            async () =>
            {
                await using var db = cluster.CreateContext();
                return await db.OutboxEmails.Where(e => e.Template == thankYou && e.ToAddress.EndsWith("-" + batch + "@" + CustomerDomain))
                    .GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
            },
            found => found.GetValueOrDefault(OutboxStatus.Sent) == Emails || found.Keys.Any(s => s is OutboxStatus.Failed or OutboxStatus.Skipped),
            TimeSpan.FromSeconds(120));
        var sent = clock.Elapsed;
        Assert.Equal(Emails, statuses.GetValueOrDefault(OutboxStatus.Sent));

        // What arrived, as MailDev's REST API lists it (it stores a message a moment after accepting it).
        var received = (await cluster.MailDev.WaitForEmailsAsync(Emails, TimeSpan.FromSeconds(30)))
            .Select(e => (To: e.GetProperty("to")[0].GetProperty("address").GetString()!, MessageId: e.GetProperty("messageId").GetString()!))
            .Where(e => e.To.EndsWith("-" + batch + "@" + CustomerDomain, StringComparison.Ordinal))
            .ToList();
        var recipients = received.Select(e => e.To).Distinct(StringComparer.Ordinal).Count();
        var duplicates = received.Count - recipients;
        var lost = customers.Count(c => !received.Any(e => e.To == c.Email));
        var dispatchers = Matches(DispatcherBatch()).GroupBy(m => m.Node).ToDictionary(g => g.Key, g => g.Sum(m => int.Parse(m.Match.Groups["sent"].Value, CultureInfo.InvariantCulture)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Emails} thank-yous queued through both nodes in {queued.TotalSeconds:N1} s; all sent after {sent.TotalSeconds:N1} s; MailDev received {received.Count} " +
            $"for {recipients} recipients: {duplicates} duplicate(s), {lost} lost, {received.Select(e => e.MessageId).Distinct().Count()} distinct Message-IDs; " +
            $"sent by node: {string.Join(", ", dispatchers.Select(d => $"{d.Key} {d.Value}"))} (every email the nodes sent, this test's and others')"));

        Assert.Equal(Emails, received.Count);
        Assert.Equal(0, duplicates);
        Assert.Equal(0, lost);
        Assert.Equal(Emails, received.Select(e => e.MessageId).Distinct(StringComparer.Ordinal).Count());
        Assert.All(cluster.Nodes, node => Assert.True(dispatchers.GetValueOrDefault(node.Name) > 0, $"{node.Name} sent no email: only one dispatcher worked."));
    });

    [Fact]
    public Task Sessions_SignInOnNodeAAndUseNodeB_TheCookieHolds() => ShowingOutputAsync(async () =>
    {
        var cookies = new CookieContainer();
        using var onA = new BrowserSession(TwoNodeCluster.Client(cluster.NodeA, cookies));
        using var onB = TwoNodeCluster.Client(cluster.NodeB, cookies);
        using var anonymousOnB = TwoNodeCluster.Client(cluster.NodeB);

        using (var login = await onA.LogInAsync(TwoNodeCluster.AdminEmail, TwoNodeCluster.AdminPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.DoesNotContain("/account/login", login.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        }

        using var jobsOnB = await onB.GetAsync(new Uri("/admin/jobs", UriKind.Relative));
        using var jobsWithoutCookie = await anonymousOnB.GetAsync(new Uri("/admin/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, jobsOnB.StatusCode);
        Assert.Contains(TwoNodeCluster.AdminEmail, await jobsOnB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, jobsWithoutCookie.StatusCode);
        Assert.StartsWith("/account/login", jobsWithoutCookie.Headers.Location?.PathAndQuery ?? jobsWithoutCookie.Headers.Location?.OriginalString, StringComparison.Ordinal);
    });

    [Fact]
    public Task Survey_OpenedOnNodeAAndSubmittedOnNodeB_IsStoredOnce() => ShowingOutputAsync(async () =>
    {
        // A node's exit-survey job invited the churned customer; the email came through MailDev.
        var invitation = await EventuallyAsync(
            async () => (await cluster.MailDev.EmailsAsync()).FirstOrDefault(e => e.GetProperty("to")[0].GetProperty("address").GetString() == TwoNodeCluster.ChurnedCustomerEmail),
            email => email.ValueKind != System.Text.Json.JsonValueKind.Undefined,
            TimeSpan.FromSeconds(60));
        var link = ExitSurveys.LinkPath(invitation.GetProperty("text").GetString()!);
        var cookies = new CookieContainer();
        using var onA = TwoNodeCluster.Client(cluster.NodeA, cookies);
        using var onB = TwoNodeCluster.Client(cluster.NodeB, cookies);

        // Node A swaps the link for its signed session cookie and renders the form with its antiforgery token …
        using var opened = await onA.GetAsync(new Uri(link, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var form = await onA.GetStringAsync(opened.Headers.Location);
        // … and node B, with the key ring from the database, accepts both.
        using var submitted = await onB.PostAsync(new Uri(SurveyLinks.SurveyPath, UriKind.Relative),
            ExitSurveys.Answers(form, "price", "Too expensive since the last price rise.", "3"));

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        using var thanks = await onB.GetAsync(submitted.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, thanks.StatusCode);
        await using var db = cluster.CreateContext();
        var answer = await db.SurveyResponses.SingleAsync(r => db.Customers.Any(c => c.Id == r.CustomerId && c.Email == TwoNodeCluster.ChurnedCustomerEmail));
        Assert.Equal("price", answer.Reason);
    });

    private static HttpClient Api(WebAppProcess node, string? key = null)
    {
        var client = TwoNodeCluster.Client(node);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private HttpClient Api(WebAppProcess node) => Api(node, cluster.IngestKey);

    private static async Task PostAsync<T>(HttpClient client, string path, IReadOnlyList<T> items)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), new BatchRequest<T>(items));
        Assert.True(response.IsSuccessStatusCode, $"POST {client.BaseAddress}{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<BatchResponse>();
        Assert.Equal(items.Count, body!.Inserted);
    }

    /// <summary>Every scheduled firing the nodes have logged as finished: job, the trigger's time and the node that ran it.</summary>
    private List<Firing> Firings() =>
        [.. Matches(JobFinished()).Select(m => new Firing(
            m.Match.Groups["job"].Value, DateTimeOffset.Parse(m.Match.Groups["at"].Value, CultureInfo.InvariantCulture), m.Node, m.Match.Groups["instance"].Value))];

    private List<(string Node, Match Match)> Matches(Regex pattern) =>
        [.. cluster.Nodes.SelectMany(node => pattern.Matches(node.Output).Select(match => (node.Name, match)))];

    private static async Task<T> EventuallyAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan patience) =>
        await EventuallyAsync(() => Task.FromResult(read()), done, patience);

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience)
    {
        var deadline = Stopwatch.StartNew();
        var value = await read();
        while (!done(value) && deadline.Elapsed < patience)
        {
            await Task.Delay(250);
            value = await read();
        }

        return value;
    }

    /// <summary>Runs a test; when it fails, both nodes' output goes with the failure.</summary>
    private async Task ShowingOutputAsync(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }

    /// <summary>One finished scheduled firing, as a node logged it.</summary>
    /// <param name="Job">The job's name.</param>
    /// <param name="ScheduledFor">The time its trigger was due: the same for every node that might run this firing.</param>
    /// <param name="Node">The process that logged it (node A or B).</param>
    /// <param name="Instance">Its Quartz scheduler's id in the cluster.</param>
    private sealed record Firing(string Job, DateTimeOffset ScheduledFor, string Node, string Instance);

    [GeneratedRegex(@"Job (?<job>[a-z-]+) \(schedule\) finished in \S+ s on node (?<instance>\S+), firing scheduled for (?<at>\S+):")]
    private static partial Regex JobFinished();

    [GeneratedRegex(@"Job feedbackhub\.\S+ threw an unhandled Exception")]
    private static partial Regex JobFailure();

    [GeneratedRegex(@"Dispatcher \S+ claimed \d+ email\(s\): (?<sent>\d+) sent")]
    private static partial Regex DispatcherBatch();
}
