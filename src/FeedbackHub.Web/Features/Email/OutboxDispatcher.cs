using System.Collections.Concurrent;
using System.Net.Mail;
using System.Threading.RateLimiting;
using FeedbackHub.Data;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Metrics;
using FeedbackHub.Web.Features.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

/// <summary>Dispatcher settings (section <c>Email:Dispatcher</c>).</summary>
public sealed class DispatcherSettings
{
    public int BatchSize { get; set; } = 50;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed row stays with one dispatcher before another may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Transient failures are retried until the email is this old; then it fails.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(48);

    /// <summary>The first retry waits about this long; each further one twice as long (with jitter), at most an hour.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SMTP connections used in parallel (each stays open between sends).</summary>
    public int Connections { get; set; } = 4;

    /// <summary>At most this many emails per second from this node over all connections; 0 means no limit.</summary>
    public double MaxPerSecond { get; set; }

    /// <summary>
    /// <c>/healthz</c> reports the outbox Degraded once an email that is due has waited longer than this:
    /// the dispatchers are stopped or too slow, or SMTP has been refusing mail for a while.
    /// </summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Sends due outbox rows: claims a batch with a lease (on PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>, on
/// SQLite a conditional UPDATE under its single writer, so of several dispatchers exactly one gets
/// each row), sends it over <see cref="DispatcherSettings.Connections"/> reused connections under a
/// global rate limit, and records each result before that connection sends again. Transient failures
/// (connection errors, 4xx replies) are retried with exponential backoff and jitter; permanent ones
/// (5xx) fail at once, and an unknown-recipient reply also suppresses the address.
/// </summary>
public sealed partial class OutboxDispatcher : BackgroundService
{
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly MailTransportPool _transports;
    private readonly IOptions<EmailOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly RateLimiter? _rateLimit;
    private readonly QuietHours _quietHours;
    private readonly FeedbackHubMetrics _metrics;

    /// <summary>Names this dispatcher in its leases: the node, the process, and this instance.</summary>
    private readonly string _owner = TextLimits.Truncate($"{Guid.NewGuid():N}:{Environment.ProcessId}:{Environment.MachineName}", 100);

    public OutboxDispatcher(
        IServiceScopeFactory scopeFactory, MailTransportPool transports, IOptions<EmailOptions> options, TimeProvider time,
        FeedbackHubMetrics metrics, ILogger<OutboxDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_scopeFactory, _transports, _options, _time, _metrics, _logger) = (scopeFactory, transports, options, time, metrics, logger);
        _rateLimit = CreateRateLimit(options.Value.Dispatcher.MaxPerSecond);
        _quietHours = QuietHours.From(options.Value.Consent);
    }

    /// <summary>Claims and sends one batch; returns how many emails it handled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var settings = _options.Value.Dispatcher;
        await using var scope = _scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // One connection for the whole round: EF Core prepares every SQLite connection it opens, which
        // costs more than the small write that records one email.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var claimed = await ClaimAsync(db, settings, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        // Checked again at send time: the address may have unsubscribed (or been erased) since the email was queued.
        var consent = new EmailConsent(db, _options, scope.ServiceProvider.GetRequiredService<IOptions<PrivacyOptions>>());
        var forms = claimed.Where(e => e.Purpose != EmailPurpose.Transactional)
            .Select(e => (Normalized: Suppression.Normalize(e.ToAddress), Forms: consent.StoredForms(e.ToAddress))).DistinctBy(e => e.Normalized).ToList();
        var addresses = forms.SelectMany(e => e.Forms).ToList();
        var stored = await db.Suppressions.AsNoTracking().Where(s => addresses.Contains(s.Address)).ToListAsync(cancellationToken);
        // Keyed by the plain address, whichever form matched.
        var suppressions = forms.SelectMany(e => stored.Where(s => e.Forms.Contains(s.Address, StringComparer.Ordinal)).Select(s => (e.Normalized, s)))
            .ToLookup(p => p.Normalized, p => p.s);

        var queue = new ConcurrentQueue<OutboxEmail>(claimed);
        using var results = new ResultWriter(db, consent);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(settings.Connections, claimed.Count))
            .Select(_ => SendAllAsync(queue, suppressions, results, settings, cancellationToken)));
        // Per batch, with this dispatcher's lease name: in a cluster, the nodes' logs add up to what was sent.
        var outcomes = claimed.CountBy(e => e.Status).ToDictionary();
        var (sent, waiting) = (outcomes.GetValueOrDefault(OutboxStatus.Sent), outcomes.GetValueOrDefault(OutboxStatus.Pending));
        var (failed, skipped) = (outcomes.GetValueOrDefault(OutboxStatus.Failed), outcomes.GetValueOrDefault(OutboxStatus.Skipped));
        LogBatch(_owner, claimed.Count, sent, waiting, failed, skipped);
        return claimed.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(_transports.Description, _options.Value.Dispatcher.Connections);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DispatchOnceAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDispatchFailed(ex);
            }

            await Task.Delay(_options.Value.Dispatcher.PollInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public override void Dispose()
    {
        _rateLimit?.Dispose();
        base.Dispose();
    }

    private async Task<List<OutboxEmail>> ClaimAsync(AppDbContext db, DispatcherSettings settings, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var leaseUntil = now + settings.Lease;
        if (db.Database.IsNpgsql())
        {
            // Rows another dispatcher is claiming right now are skipped rather than waited for.
            return await db.OutboxEmails.FromSql($"""
                UPDATE "OutboxEmails" SET "LeaseOwner" = {_owner}, "LeaseUntil" = {leaseUntil}
                WHERE "Id" IN (
                    SELECT "Id" FROM "OutboxEmails"
                    WHERE "Status" = 'Pending' AND "NotBefore" <= {now} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                    ORDER BY "NotBefore" LIMIT {settings.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).AsNoTracking().ToListAsync(cancellationToken);
        }

        var candidates = await db.OutboxEmails.AsNoTracking()
            .Where(e => e.Status == OutboxStatus.Pending && e.NotBefore <= now && (e.LeaseUntil == null || e.LeaseUntil < now))
            .OrderBy(e => e.NotBefore).Select(e => e.Id).Take(settings.BatchSize).ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        await db.OutboxEmails
            .Where(e => candidates.Contains(e.Id) && e.Status == OutboxStatus.Pending && (e.LeaseUntil == null || e.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, _owner).SetProperty(e => e.LeaseUntil, leaseUntil), cancellationToken);
        return await db.OutboxEmails.AsNoTracking()
            .Where(e => candidates.Contains(e.Id) && e.LeaseOwner == _owner && e.LeaseUntil == leaseUntil)
            .ToListAsync(cancellationToken);
    }

    /// <summary>One connection's worker: takes emails off the shared queue until it is empty.</summary>
    private async Task SendAllAsync(
        ConcurrentQueue<OutboxEmail> queue, ILookup<string, Suppression> suppressions, ResultWriter results,
        DispatcherSettings settings, CancellationToken cancellationToken)
    {
        var transport = _transports.Rent();
        try
        {
            while (queue.TryDequeue(out var email))
            {
                var bounced = await SendAsync(email, transport, suppressions, settings, cancellationToken);
                // Stored before this connection sends again: a crash loses at most this one result (one possible duplicate per connection).
                await results.RecordAsync(email, bounced ? _time.GetUtcNow() : null);
            }
        }
        finally
        {
            _transports.Return(transport);
        }
    }

    /// <summary>Sends one email and sets the outcome on its row; true when the recipient is unknown, so the address is to be suppressed.</summary>
    private async Task<bool> SendAsync(
        OutboxEmail email, IMailTransport transport, ILookup<string, Suppression> suppressions,
        DispatcherSettings settings, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        (email.LeaseOwner, email.LeaseUntil) = (null, null);
        var stopping = Suppression.ScopesStopping(email.Purpose);
        if (suppressions[Suppression.Normalize(email.ToAddress)].FirstOrDefault(s => stopping.Contains(s.Scope)) is { } suppression)
        {
            (email.Status, email.LastError) = (OutboxStatus.Skipped, EmailConsent.Describe(suppression));
            return false;
        }

        if (email.TimeZone is not null && _quietHours.NextAllowed(now, email.TimeZone, _options.Value.DefaultTimeZone) is var allowed && allowed > now)
        {
            // Became due during the customer's quiet hours (e.g. a retry at night): wait for the morning.
            email.NotBefore = allowed;
            _metrics.EmailDeferred(email, FeedbackHubMetrics.DeferredForQuietHours);
            return false;
        }

        if (_rateLimit is not null)
        {
            using var permit = await _rateLimit.AcquireAsync(1, cancellationToken);
        }

        email.Attempts++;
        email.LastAttemptAt = now;
        try
        {
            using var message = EmailMessages.ToMailMessage(
                new OutgoingEmail(email.MessageId, email.ToAddress, email.ToName, email.Subject, email.HtmlBody, email.TextBody, email.ListUnsubscribeUrl),
                _options.Value);
            await transport.SendAsync(message, cancellationToken);
            (email.Status, email.SentAt, email.LastError) = (OutboxStatus.Sent, _time.GetUtcNow(), null);
            _metrics.EmailSent(email, email.SentAt.Value - email.NotBefore);
        }
        catch (Exception ex) when (ex is SmtpException or IOException or InvalidOperationException)
        {
            email.LastError = TextLimits.Truncate(ex.GetBaseException().Message, 2000);
            if (IsUnknownRecipient(ex))
            {
                email.Status = OutboxStatus.Failed;
                _metrics.EmailFailed(email);
                LogSuppressed(email.IdempotencyKey, email.LastError);
                return true;
            }

            if (IsPermanent(ex) || now - email.CreatedAt >= settings.GiveUpAfter)
            {
                email.Status = OutboxStatus.Failed;
                _metrics.EmailFailed(email);
                LogGaveUp(email.IdempotencyKey, email.LastError);
            }
            else
            {
                email.NotBefore = now + Backoff(settings.RetryBase, email.Attempts);
                _metrics.EmailDeferred(email, FeedbackHubMetrics.DeferredForRetry);
            }
        }

        return false;
    }

    /// <summary>A 5xx reply is final; connection failures (GeneralFailure) and 4xx replies are worth a retry.</summary>
    internal static bool IsPermanent(Exception ex) => ex is SmtpException smtp && (int)smtp.StatusCode >= 500;

    /// <summary>A permanent refusal saying the mailbox does not exist (enhanced status 5.1.1 and its usual wordings).</summary>
    internal static bool IsUnknownRecipient(Exception ex) =>
        IsPermanent(ex) && ex.Message is var text
        && (text.Contains("5.1.1", StringComparison.Ordinal)
            || text.Contains("user unknown", StringComparison.OrdinalIgnoreCase)
            || text.Contains("no such user", StringComparison.OrdinalIgnoreCase)
            || text.Contains("does not exist", StringComparison.OrdinalIgnoreCase));

    /// <summary>RetryBase × 2^(attempt−1), ±20 % jitter so failed senders do not retry in step, at most one hour.</summary>
    internal static TimeSpan Backoff(TimeSpan retryBase, int attempt)
    {
        var exponential = retryBase * Math.Pow(2, Math.Min(attempt - 1, 16));
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return jittered < TimeSpan.FromHours(1) ? jittered : TimeSpan.FromHours(1);
    }

    /// <summary>A token bucket shared by all connections; fractional rates (0.5/s) become one email per period.</summary>
    private static TokenBucketRateLimiter? CreateRateLimit(double maxPerSecond) => maxPerSecond <= 0 ? null : new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = Math.Max(1, (int)Math.Round(maxPerSecond)),
        TokensPerPeriod = Math.Max(1, (int)Math.Round(maxPerSecond)),
        ReplenishmentPeriod = maxPerSecond >= 1 ? TimeSpan.FromSeconds(Math.Round(maxPerSecond) / maxPerSecond) : TimeSpan.FromSeconds(1 / maxPerSecond),
        QueueLimit = int.MaxValue,
        AutoReplenishment = true,
    });

    /// <summary>
    /// Records a batch's results on one context, one writer at a time. A worker waits until its result
    /// is committed before it sends again, so a crash leaves at most one sent but unrecorded email per
    /// connection. Results that arrive while a commit is under way wait and then share the next one
    /// (the first of them writes all): with several connections that is one transaction, one flush to
    /// disk, for several emails, instead of every connection queueing for SQLite's single write lock.
    /// </summary>
    private sealed class ResultWriter(AppDbContext db, EmailConsent consent) : IDisposable
    {
        /// <summary>What sending changes on a row.</summary>
        private static readonly string[] ResultColumns =
        [
            nameof(OutboxEmail.Status), nameof(OutboxEmail.SentAt), nameof(OutboxEmail.LastError), nameof(OutboxEmail.NotBefore),
            nameof(OutboxEmail.Attempts), nameof(OutboxEmail.LastAttemptAt), nameof(OutboxEmail.LeaseOwner), nameof(OutboxEmail.LeaseUntil),
        ];

        private readonly SemaphoreSlim _oneWriter = new(1, 1);
        private readonly List<Result> _waiting = [];

        /// <summary>Returns when the row's outcome (and, for a bounce, the address's suppression) is committed.</summary>
        public async Task RecordAsync(OutboxEmail email, DateTimeOffset? bouncedAt)
        {
            var result = new Result(email, bouncedAt);
            lock (_waiting)
            {
                _waiting.Add(result);
            }

            // Not cancellable: an email that went out is recorded even while the app stops, or it would go out again.
            await _oneWriter.WaitAsync(CancellationToken.None);
            try
            {
                if (!result.Done)
                {
                    List<Result> group;
                    lock (_waiting)
                    {
                        group = [.. _waiting];
                        _waiting.Clear();
                    }

                    await CommitAsync(group);
                }
            }
            finally
            {
                _oneWriter.Release();
            }

            if (result.Error is { } error)
            {
                // The worker stops, as it did when its own save failed, and the row is retried after the lease. A failed
                // commit fails every result in it, but that is still at most one unrecorded send per connection.
                throw new InvalidOperationException("Could not record an email's send result.", error);
            }
        }

        public void Dispose() => _oneWriter.Dispose();

        private async Task CommitAsync(List<Result> group)
        {
            try
            {
                foreach (var (email, bouncedAt) in group.Select(r => (r.Email, r.BouncedAt)))
                {
                    // Only what sending changed is written, not the bodies.
                    var row = db.OutboxEmails.Attach(email);
                    foreach (var column in ResultColumns)
                    {
                        row.Property(column).IsModified = true;
                    }

                    if (bouncedAt is { } now)
                    {
                        await consent.SuppressAsync(email.ToAddress, SuppressionScope.All, SuppressionReason.Bounced, $"smtp: {email.LastError}", now, CancellationToken.None);
                    }
                }

                // One transaction for the group (and the bounces' suppressions).
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                group.ForEach(r => r.Error = ex);
            }
            finally
            {
                db.ChangeTracker.Clear();
                group.ForEach(r => r.Done = true);
            }
        }

        private sealed class Result(OutboxEmail email, DateTimeOffset? bouncedAt)
        {
            public OutboxEmail Email { get; } = email;

            public DateTimeOffset? BouncedAt { get; } = bouncedAt;

            /// <summary>Set by the writer that committed the result, before it released the semaphore its worker then takes.</summary>
            public bool Done { get; set; }

            public Exception? Error { get; set; }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher sends through {Transport} over up to {Connections} connections")]
    private partial void LogStarted(string transport, int connections);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Dispatcher {Owner} claimed {Claimed} email(s): {Sent} sent, {Waiting} to retry or wait, {Failed} failed, {Skipped} skipped")]
    private partial void LogBatch(string owner, int claimed, int sent, int waiting, int failed, int skipped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch round failed; retrying after the poll interval")]
    private partial void LogDispatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up on email {Key}: {Error}")]
    private partial void LogGaveUp(string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Key} bounced as an unknown recipient; the address is suppressed: {Error}")]
    private partial void LogSuppressed(string key, string error);
}
