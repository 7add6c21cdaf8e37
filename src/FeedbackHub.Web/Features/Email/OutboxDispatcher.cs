using System.Net.Mail;
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
}

/// <summary>
/// Sends due outbox rows: claims a batch with a lease (a conditional UPDATE, so of several
/// dispatchers exactly one gets each row), sends each through the transport, and records the
/// result. Transient failures (connection errors, 4xx replies) are retried with exponential backoff
/// and jitter; permanent ones (5xx) fail at once.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopeFactory,
    IMailTransport transport,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>Names this dispatcher in its leases: the node, the process, and this instance.</summary>
    private readonly string _owner = TextLimits.Truncate($"{Guid.NewGuid():N}:{Environment.ProcessId}:{Environment.MachineName}", 100);

    /// <summary>Claims and sends one batch; returns how many emails it handled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Dispatcher;
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var candidates = await db.OutboxEmails.AsNoTracking()
            .Where(e => e.Status == OutboxStatus.Pending && e.NotBefore <= now && (e.LeaseUntil == null || e.LeaseUntil < now))
            .OrderBy(e => e.NotBefore).Select(e => e.Id).Take(settings.BatchSize).ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return 0;
        }

        var leaseUntil = now + settings.Lease;
        await db.OutboxEmails
            .Where(e => candidates.Contains(e.Id) && e.Status == OutboxStatus.Pending && (e.LeaseUntil == null || e.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, _owner).SetProperty(e => e.LeaseUntil, leaseUntil), cancellationToken);
        var claimed = await db.OutboxEmails
            .Where(e => candidates.Contains(e.Id) && e.LeaseOwner == _owner && e.LeaseUntil == leaseUntil)
            .ToListAsync(cancellationToken);
        foreach (var email in claimed)
        {
            await SendAsync(email, settings, cancellationToken);
            // Saved one by one: a crash after a send loses at most that row's bookkeeping (one possible duplicate).
            await db.SaveChangesAsync(cancellationToken);
        }

        return claimed.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(transport.Description);
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

            await Task.Delay(options.Value.Dispatcher.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task SendAsync(OutboxEmail email, DispatcherSettings settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        email.Attempts++;
        email.LastAttemptAt = now;
        (email.LeaseOwner, email.LeaseUntil) = (null, null);
        try
        {
            using var message = EmailMessages.ToMailMessage(
                new OutgoingEmail(email.MessageId, email.ToAddress, email.ToName, email.Subject, email.HtmlBody, email.TextBody, email.ListUnsubscribeUrl),
                options.Value);
            await transport.SendAsync(message, cancellationToken);
            (email.Status, email.SentAt, email.LastError) = (OutboxStatus.Sent, time.GetUtcNow(), null);
        }
        catch (Exception ex) when (ex is SmtpException or IOException or InvalidOperationException)
        {
            email.LastError = TextLimits.Truncate(ex.GetBaseException().Message, 2000);
            if (IsPermanent(ex) || now - email.CreatedAt >= settings.GiveUpAfter)
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

    /// <summary>RetryBase × 2^(attempt−1), ±20 % jitter so failed senders do not retry in step, at most one hour.</summary>
    internal static TimeSpan Backoff(TimeSpan retryBase, int attempt)
    {
        var exponential = retryBase * Math.Pow(2, Math.Min(attempt - 1, 16));
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return jittered < TimeSpan.FromHours(1) ? jittered : TimeSpan.FromHours(1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher sends through {Transport}")]
    private partial void LogStarted(string transport);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch round failed; retrying after the poll interval")]
    private partial void LogDispatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up on email {Key}: {Error}")]
    private partial void LogGaveUp(string key, string error);
}
