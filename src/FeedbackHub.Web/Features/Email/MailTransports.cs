using System.Collections.Concurrent;
using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

/// <summary>The one seam through which mail leaves: a real SMTP relay, or the pickup folder.</summary>
public interface IMailTransport : IDisposable
{
    /// <summary>Where mail goes, for the admin pages and logs (never a password).</summary>
    string Description { get; }

    Task SendAsync(MailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Sends over SMTP with <see cref="SmtpClient"/>, which keeps its connection open between sends;
/// one transport is one connection, so it sends one message at a time.
/// </summary>
public sealed class SmtpMailTransport(SmtpSettings settings) : IMailTransport
{
    private readonly SmtpClient _client = new(settings.Host, settings.Port)
    {
        EnableSsl = settings.UseStartTls,
        DeliveryMethod = SmtpDeliveryMethod.Network,
        Credentials = string.IsNullOrEmpty(settings.UserName) ? null : new NetworkCredential(settings.UserName, settings.Password),
        Timeout = 30_000,
    };

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public string Description { get; } = $"SMTP {settings.Host}:{settings.Port}{(settings.UseStartTls ? " (STARTTLS)" : "")}";

    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await _client.SendMailAsync(message, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _oneAtATime.Dispose();
    }
}

/// <summary>The embedded default: every email becomes an .eml file in a folder, for people to open.</summary>
public sealed class PickupFolderMailTransport : IMailTransport
{
    private readonly SmtpClient _client;

    public PickupFolderMailTransport(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        Directory = directory;
        _client = new SmtpClient
        {
            DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
            PickupDirectoryLocation = directory,
        };
    }

    public string Directory { get; }

    public string Description => $"pickup folder {Directory}";

    public Task SendAsync(MailMessage message, CancellationToken cancellationToken) => _client.SendMailAsync(message, cancellationToken);

    public void Dispose() => _client.Dispose();
}

/// <summary>
/// The open connections the dispatcher sends over: each worker rents one for a batch, so a
/// connection is reused across sends and never used by two workers at once.
/// </summary>
public sealed class MailTransportPool(Func<IMailTransport> create) : IDisposable
{
    private readonly ConcurrentBag<IMailTransport> _idle = [];
    private readonly ConcurrentBag<IMailTransport> _all = [];
    private readonly Lazy<string> _description = new(() =>
    {
        using var probe = create();
        return probe.Description;
    });

    public string Description => _description.Value;

    public IMailTransport Rent()
    {
        if (_idle.TryTake(out var transport))
        {
            return transport;
        }

        transport = create();
        _all.Add(transport);
        return transport;
    }

    public void Return(IMailTransport transport) => _idle.Add(transport);

    public void Dispose()
    {
        foreach (var transport in _all)
        {
            transport.Dispose();
        }
    }

    /// <summary>SMTP when a host is configured, otherwise the pickup folder in the data folder.</summary>
    public static MailTransportPool FromOptions(IOptions<EmailOptions> options, Data.Database.StorageSettings storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        var email = options.Value;
        return email.UsesSmtp
            ? new MailTransportPool(() => new SmtpMailTransport(email.Smtp))
            : new MailTransportPool(() => new PickupFolderMailTransport(email.PickupFolder(storage)));
    }
}
