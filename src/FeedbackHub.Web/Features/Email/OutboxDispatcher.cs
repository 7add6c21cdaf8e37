using System.Collections.Concurrent;
using System.Net.Mail;
using System.Threading.RateLimiting;
using FeedbackHub.Data;
using FeedbackHub.Data.Email;
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
}

/// <summary>
/// Sends due outbox rows: claims a batch with a lease (on PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>, on
/// SQLite a conditional UPDATE under its single writer, so of several dispatchers exactly one gets
/// each row), sends it over <see cref="DispatcherSettings.Connections"/> reused connections under a
/// global rate limit, and records each result as soon as it is known. Transient failures
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

    /// <summary>Names this dispatcher in its leases: the node, the process, and this instance.</summary>
    private readonly string _owner = TextLimits.Truncate($"{Guid.NewGuid():N}:{Environment.ProcessId}:{Environment.MachineName}", 100);

    public OutboxDispatcher(
        IServiceScopeFactory scopeFactory, MailTransportPool transports, IOptions<EmailOptions> options, TimeProvider time, ILogger<OutboxDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_scopeFactory, _transports, _options, _time, _logger) = (scopeFactory, transports, options, time, logger);
        _rateLimit = CreateRateLimit(options.Value.Dispatcher.MaxPerSecond);
    }

    /// <summary>Claims and sends one batch; returns how many emails it handled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var settings = _options.Value.Dispatcher;
        List<OutboxEmail> claimed;
        ILookup<string, Suppression> suppressions;
        await using (var scope = _scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            claimed = await ClaimAsync(db, settings, cancellationToken);
            if (claimed.Count == 0)
            {
                return 0;
            }

            // Checked again at send time: the address may have unsubscribed since the email was queued.
            var addresses = claimed.Where(e => e.Purpose != EmailPurpose.Transactional).Select(e => Suppression.Normalize(e.ToAddress)).Distinct().ToList();
            suppressions = (await db.Suppressions.AsNoTracking().Where(s => addresses.Contains(s.Address)).ToListAsync(cancellationToken))
                .ToLookup(s => s.Address);
        }

        var queue = new ConcurrentQueue<OutboxEmail>(claimed);
        var workers = Enumerable.Range(0, Math.Min(settings.Connections, claimed.Count))
            .Select(_ => SendAllAsync(queue, suppressions, settings, cancellationToken));
        await Task.WhenAll(workers);
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
        ConcurrentQueue<OutboxEmail> queue, ILookup<string, Suppression> suppressions, DispatcherSettings settings, CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var consent = new EmailConsent(db, _options);
        var transport = _transports.Rent();
        try
        {
            while (queue.TryDequeue(out var email))
            {
                db.OutboxEmails.Attach(email);
                await SendAsync(email, transport, consent, suppressions, settings, cancellationToken);
                // Saved one by one: a crash after a send loses at most that row's bookkeeping (one possible duplicate per connection).
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        finally
        {
            _transports.Return(transport);
        }
    }

    private async Task SendAsync(
        OutboxEmail email, IMailTransport transport, EmailConsent consent, ILookup<string, Suppression> suppressions,
        DispatcherSettings settings, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        (email.LeaseOwner, email.LeaseUntil) = (null, null);
        var stopping = Suppression.ScopesStopping(email.Purpose);
        if (suppressions[Suppression.Normalize(email.ToAddress)].FirstOrDefault(s => stopping.Contains(s.Scope)) is { } suppression)
        {
            (email.Status, email.LastError) = (OutboxStatus.Skipped, EmailConsent.Describe(suppression));
            return;
        }

        if (email.TimeZone is not null && consent.NextAllowed(now, email.TimeZone) is var allowed && allowed > now)
        {
            // Became due during the customer's quiet hours (e.g. a retry at night): wait for the morning.
            email.NotBefore = allowed;
            return;
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
        }
        catch (Exception ex) when (ex is SmtpException or IOException or InvalidOperationException)
        {
            email.LastError = TextLimits.Truncate(ex.GetBaseException().Message, 2000);
            if (IsUnknownRecipient(ex))
            {
                email.Status = OutboxStatus.Failed;
                await consent.SuppressAsync(email.ToAddress, SuppressionScope.All, SuppressionReason.Bounced, $"smtp: {email.LastError}", now, cancellationToken);
                LogSuppressed(email.IdempotencyKey, email.LastError);
            }
            else if (IsPermanent(ex) || now - email.CreatedAt >= settings.GiveUpAfter)
            {
                email.Status = OutboxStatus.Failed;
                LogGaveUp(email.IdempotencyKey, email.LastError);
            }
            else
            {
                email.NotBefore = now + Backoff(settings.RetryBase, email.Attempts);
            }
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher sends through {Transport} over up to {Connections} connections")]
    private partial void LogStarted(string transport, int connections);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch round failed; retrying after the poll interval")]
    private partial void LogDispatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up on email {Key}: {Error}")]
    private partial void LogGaveUp(string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Key} bounced as an unknown recipient; the address is suppressed: {Error}")]
    private partial void LogSuppressed(string key, string error);
}
