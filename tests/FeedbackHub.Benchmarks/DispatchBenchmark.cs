using System.Diagnostics;
using System.Globalization;
using System.Net.Mail;
using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Database;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// Drains the email outbox with the real dispatcher (SQLite, wired as the app wires it) into a local
/// SMTP sink, beside the floor for the same messages: bare loops, one <see cref="SmtpClient"/> per
/// connection, sending messages rendered beforehand. A second run drains a large outbox while
/// sampling memory, to show it does not grow with the number of emails.
/// </summary>
internal static class DispatchBenchmark
{
    private const int BatchSize = 200;

    /// <summary>
    /// Recipients repeat over this many addresses: the sink keeps a retry counter per address, and
    /// one per email would grow the benchmark's own heap during the memory run.
    /// </summary>
    private const int Recipients = 1_000;

    /// <summary>Stands in for a customer's one-click unsubscribe link, so every email carries the RFC 8058 headers.</summary>
    private const string UnsubscribeUrl = "https://feedback.example.nl/unsubscribe/CfDJ8Benchmark0000000000000000000000000000000000000000";

    /// <summary>Floor and dispatcher take turns this often, and each keeps its best: other work on the machine only ever slows a run down.</summary>
    private const int Rounds = 3;

    private static readonly int[] ConnectionCounts = [1, 4, 8];

    public static async Task<int> RunAsync(int emails)
    {
        ReserveThreads();
        await using var sink = new ScriptedSmtpServer();
        var content = await RenderAsync();
        Console.WriteLine($"Message: {content.Html.Length + content.Text.Length:N0} characters of HTML and text; batches of {BatchSize}; SQLite outbox; best of {Rounds} rounds.");

        // Warm-up: the first SmtpClient and EF Core queries pay for JIT compilation, whichever runs first.
        await FloorAsync(sink, content, Math.Min(emails, 200), 1);
        await DispatcherAsync(sink, content, Math.Min(emails, 200), 1);

        var lines = new List<string>();
        foreach (var connections in ConnectionCounts)
        {
            var (floor, dispatcher) = (TimeSpan.MaxValue, TimeSpan.MaxValue);
            for (var round = 1; round <= Rounds; round++)
            {
                var floorRound = await FloorAsync(sink, content, emails, connections);
                var dispatcherRound = await DispatcherAsync(sink, content, emails, connections);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {connections} connection(s), round {round}: floor {emails / floorRound.TotalSeconds:N0}/s, dispatcher {emails / dispatcherRound.TotalSeconds:N0}/s"));
                (floor, dispatcher) = (floorRound < floor ? floorRound : floor, dispatcherRound < dispatcher ? dispatcherRound : dispatcher);
            }

            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {connections} | {emails / floor.TotalSeconds:N0} emails/s ({floor.TotalSeconds:N2} s) | {emails / dispatcher.TotalSeconds:N0} emails/s ({dispatcher.TotalSeconds:N2} s) | {floor / dispatcher:N2}× |"));
        }

        Console.WriteLine();
        Console.WriteLine($"| connections | floor: bare SmtpClient loops, {emails:N0} emails | dispatcher: SQLite outbox, {emails:N0} emails | dispatcher ÷ floor |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    /// <summary>Queues <paramref name="emails"/>, then drains them over 4 connections while sampling memory every 100 ms.</summary>
    public static async Task<int> MemoryAsync(int emails)
    {
        const int connections = 4;
        ReserveThreads();
        await using var sink = new ScriptedSmtpServer();
        var content = await RenderAsync();
        await using var outbox = await QueuedOutbox.CreateAsync(sink.Port, connections, content, emails);

        // Start from a clean heap, so the samples show what the drain itself holds.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = Sample.Take(0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Before draining {emails:N0} emails: working set {before.WorkingSetMegabytes:N0} MB, managed heap {before.HeapMegabytes:N0} MB"));

        var delivered = 0;
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        var drain = outbox.DrainAsync();
        while (!drain.IsCompleted)
        {
            // The sink keeps every message it accepts; emptying it here keeps the benchmark's own memory out of the figures.
            while (sink.Accepted.TryDequeue(out _))
            {
                delivered++;
            }

            samples.Add(Sample.Take(delivered));
            await Task.WhenAny(drain, Task.Delay(100));
        }

        await drain;
        clock.Stop();
        while (sink.Accepted.TryDequeue(out _))
        {
            delivered++;
        }

        await outbox.EnsureAllSentAsync(delivered);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var after = Sample.Take(delivered);

        var firstTenth = samples.Where(s => s.Delivered <= emails / 10).DefaultIfEmpty(before).ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Drained {emails:N0} emails over {connections} connections in {clock.Elapsed.TotalSeconds:N1} s ({emails / clock.Elapsed.TotalSeconds:N0} emails/s), {samples.Count:N0} samples"));
        Console.WriteLine("| while draining | peak working set | peak managed heap |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| first 10 % of the emails | {firstTenth.Max(s => s.WorkingSetMegabytes):N0} MB | {firstTenth.Max(s => s.HeapMegabytes):N0} MB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| all {emails:N0} emails | {samples.Max(s => s.WorkingSetMegabytes):N0} MB | {samples.Max(s => s.HeapMegabytes):N0} MB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| last 10 % of the emails | {samples.Where(s => s.Delivered >= emails * 9 / 10).DefaultIfEmpty(after).Max(s => s.WorkingSetMegabytes):N0} MB | {samples.Where(s => s.Delivered >= emails * 9 / 10).DefaultIfEmpty(after).Max(s => s.HeapMegabytes):N0} MB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| after a full collection (before: {before.HeapMegabytes:N0} MB) | {after.WorkingSetMegabytes:N0} MB | {after.HeapMegabytes:N0} MB |"));
        return 0;
    }

    /// <summary>
    /// SmtpClient waits for the reply to the end of a message with a blocking read on a pool thread.
    /// With the sink in this process, that starves the sink of the threads it needs to reply until the
    /// pool grows (slowly); a remote server would not be slowed so, so threads are reserved up front.
    /// </summary>
    private static void ReserveThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 4 * ConnectionCounts.Max()), completionPorts);
    }

    private sealed record Sample(int Delivered, double WorkingSetMegabytes, double HeapMegabytes)
    {
        public static Sample Take(int delivered) => new(delivered, Environment.WorkingSet / 1_048_576.0, GC.GetTotalMemory(forceFullCollection: false) / 1_048_576.0);
    }

    /// <summary>The same messages the dispatcher would build, sent by <paramref name="connections"/> bare loops.</summary>
    private static async Task<TimeSpan> FloorAsync(ScriptedSmtpServer sink, RenderedEmail content, int emails, int connections)
    {
        var options = Options();
        var messages = Enumerable.Range(0, emails)
            .Select(i => EmailMessages.ToMailMessage(
                new OutgoingEmail($"{Guid.NewGuid():N}@example.nl", Recipient(i), "Sam", content.Subject, content.Html, content.Text, UnsubscribeUrl), options))
            .ToList();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var client = new SmtpClient("127.0.0.1", sink.Port) { DeliveryMethod = SmtpDeliveryMethod.Network };
            for (var i = Interlocked.Increment(ref next); i < messages.Count; i = Interlocked.Increment(ref next))
            {
                await client.SendMailAsync(messages[i]);
            }
        }));
        clock.Stop();
        foreach (var message in messages)
        {
            message.Dispose();
        }

        TakeDelivered(sink, emails, $"floor, {connections} connection(s)");
        return clock.Elapsed;
    }

    /// <summary>Queues the emails into a fresh, migrated SQLite database (not timed), then times the dispatcher draining them.</summary>
    private static async Task<TimeSpan> DispatcherAsync(ScriptedSmtpServer sink, RenderedEmail content, int emails, int connections)
    {
        await using var outbox = await QueuedOutbox.CreateAsync(sink.Port, connections, content, emails);
        var clock = Stopwatch.StartNew();
        await outbox.DrainAsync();
        clock.Stop();
        var delivered = TakeDelivered(sink, emails, $"dispatcher, {connections} connection(s)");
        await outbox.EnsureAllSentAsync(delivered);
        return clock.Elapsed;
    }

    /// <summary>Checks the sink got exactly the expected number of messages, and empties it for the next run.</summary>
    private static int TakeDelivered(ScriptedSmtpServer sink, int expected, string run)
    {
        var delivered = sink.Accepted.Count;
        sink.Accepted.Clear();
        return delivered == expected ? delivered : throw new InvalidOperationException($"{run}: the sink got {delivered:N0} emails, expected {expected:N0}.");
    }

    private static string Recipient(int i) => $"customer{i % Recipients}@example.nl";

    private static EmailOptions Options() => new() { FromAddress = "shop@example.nl", PublicBaseUrl = new Uri("https://feedback.example.nl/") };

    /// <summary>The thank-you email as customers get it, rendered once; every benchmark email carries it.</summary>
    private static async Task<RenderedEmail> RenderAsync()
    {
        await using var outbox = await QueuedOutbox.CreateAsync(port: 25, connections: 1, content: null, emails: 0);
        return await outbox.RenderThankYouAsync();
    }

    /// <summary>A fresh data folder with a migrated SQLite database, the email services as the app registers them, and a queue.</summary>
    private sealed class QueuedOutbox : IAsyncDisposable
    {
        private readonly TemporaryDirectory _work;
        private readonly IHost _host;

        private QueuedOutbox(TemporaryDirectory work, IHost host) => (_work, _host) = (work, host);

        public static async Task<QueuedOutbox> CreateAsync(int port, int connections, RenderedEmail? content, int emails)
        {
            var work = new TemporaryDirectory("feedbackhub-dispatch-bench-");
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            var options = Options();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StorageSettings.DataDirectoryKey] = work.Path,
                ["Email:FromAddress"] = options.FromAddress,
                ["Email:PublicBaseUrl"] = options.PublicBaseUrl.AbsoluteUri,
                ["Email:Smtp:Host"] = "127.0.0.1",
                ["Email:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Email:Dispatcher:Connections"] = connections.ToString(CultureInfo.InvariantCulture),
                ["Email:Dispatcher:BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            });
            builder.AddAppDatabase();
            builder.AddEmail();
            builder.Services.AddLogging();
            builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
            var outbox = new QueuedOutbox(work, builder.Build());
            await outbox.MigrateAsync();
            if (content is not null)
            {
                await outbox.QueueAsync(content, emails);
            }

            return outbox;
        }

        /// <summary>Dispatches until a round finds nothing due, as the app's loop does while there is work.</summary>
        public async Task DrainAsync()
        {
            var dispatcher = _host.Services.GetRequiredService<OutboxDispatcher>();
            while (await dispatcher.DispatchOnceAsync(CancellationToken.None) > 0)
            {
            }
        }

        public async Task EnsureAllSentAsync(int delivered)
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var sent = await db.OutboxEmails.CountAsync(e => e.Status == OutboxStatus.Sent);
            var total = await db.OutboxEmails.CountAsync();
            if (sent != total || delivered != total)
            {
                throw new InvalidOperationException($"{sent:N0} of {total:N0} rows are Sent and {delivered:N0} emails arrived.");
            }
        }

        public async Task<RenderedEmail> RenderThankYouAsync()
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var links = scope.ServiceProvider.GetRequiredService<UnsubscribeLinks>();
            return await scope.ServiceProvider.GetRequiredService<EmailRenderer>().RenderAsync(
                EmailTemplates.ThankYou, "en", EmailTemplates.ThankYou.SampleValues, links.For("customer@example.nl"), CancellationToken.None);
        }

        public ValueTask DisposeAsync()
        {
            // Closes the dispatcher's SMTP connections and the database file before the folder goes.
            _host.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _work.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task MigrateAsync()
        {
            await using var scope = _host.Services.CreateAsyncScope();
            await DatabaseMigrator.MigrateAsync(
                scope.ServiceProvider.GetRequiredService<AppDbContext>(), _host.Services.GetRequiredService<DatabaseSettings>(), CancellationToken.None);
        }

        /// <summary>Through the real <see cref="Outbox"/>, a thousand per unit of work (its duplicate check scans the unsaved rows).</summary>
        private async Task QueueAsync(RenderedEmail content, int emails)
        {
            var clock = Stopwatch.StartNew();
            for (var first = 0; first < emails; first += 1_000)
            {
                await using var scope = _host.Services.CreateAsyncScope();
                var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
                foreach (var i in Enumerable.Range(first, Math.Min(1_000, emails - first)))
                {
                    await outbox.QueueAsync(
                        new QueuedEmail($"bench:{i}", EmailPurpose.Offer, Recipient(i), "Sam", content.Subject, content.Html, content.Text, ListUnsubscribeUrl: UnsubscribeUrl),
                        CancellationToken.None);
                }

                await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
            }

            if (emails >= 10_000)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  queued {emails:N0} emails in {clock.Elapsed.TotalSeconds:N1} s"));
            }
        }
    }
}
