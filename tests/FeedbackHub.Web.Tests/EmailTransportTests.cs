using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email;

namespace FeedbackHub.Web.Tests;

/// <summary>The mail transports against a real SMTP server (MailDev) and a real folder.</summary>
public sealed class EmailTransportTests(MailDevServer mailDev) : IClassFixture<MailDevServer>, IDisposable
{
    private static readonly EmailOptions Options = new() { FromAddress = "winkel@example.nl", FromName = "De Winkel" };
    private readonly TemporaryDirectory _folder = new();

    [Fact]
    public async Task Smtp_ToRealServer_DeliversBothPartsWithStableIdAndUnsubscribeHeaders()
    {
        var email = new OutgoingEmail(
            MessageId: "thank-you.o-1@feedbackhub.test",
            ToAddress: "anna@example.nl",
            ToName: "Anna de Vries",
            Subject: "Bedankt voor je bestelling – 10% korting",
            HtmlBody: "<p>Hoi Anna, je code is <strong>THANKS-7KQ2</strong>.</p>",
            TextBody: "Hoi Anna, je code is THANKS-7KQ2.",
            ListUnsubscribeUrl: "https://shop.example.nl/unsubscribe?t=abc");
        using var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = mailDev.SmtpPort });

        using (var message = EmailMessages.ToMailMessage(email, Options))
        {
            await transport.SendAsync(message, CancellationToken.None);
        }

        var received = Assert.Single(await mailDev.WaitForEmailsAsync(1), e => e.GetProperty("subject").GetString() == email.Subject);
        Assert.Contains("<strong>THANKS-7KQ2</strong>", received.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("je code is THANKS-7KQ2.", received.GetProperty("text").GetString(), StringComparison.Ordinal);
        var source = await mailDev.SourceAsync(received.GetProperty("id").GetString()!);
        Assert.Contains("Message-ID: <thank-you.o-1@feedbackhub.test>", source, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("List-Unsubscribe: <https://shop.example.nl/unsubscribe?t=abc>", source, StringComparison.Ordinal);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PickupFolder_WithoutSmtp_WritesAnEmlFile()
    {
        using var transport = new PickupFolderMailTransport(_folder.Path);
        var email = new OutgoingEmail("welcome.1@feedbackhub.test", "bob@example.com", null, "Welcome", "<p>Hi Bob</p>", "Hi Bob");

        using (var message = EmailMessages.ToMailMessage(email, Options))
        {
            await transport.SendAsync(message, CancellationToken.None);
        }

        var file = Assert.Single(Directory.GetFiles(_folder.Path, "*.eml"));
        var content = await File.ReadAllTextAsync(file);
        Assert.Contains("To: bob@example.com", content, StringComparison.Ordinal);
        Assert.Contains("Message-ID: <welcome.1@feedbackhub.test>", content, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TransportFactory_WithoutSmtpHost_ChoosesThePickupFolderInTheDataFolder()
    {
        using var transport = MailTransportPool.FromOptions(Microsoft.Extensions.Options.Options.Create(new EmailOptions()),
            new Data.Database.StorageSettings(_folder.Path));

        Assert.Equal($"pickup folder {Path.Combine(_folder.Path, "mail-pickup")}", transport.Description);
    }

    public void Dispose() => _folder.Dispose();
}
