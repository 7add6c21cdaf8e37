using System.Net.Mail;
using System.Net.Mime;
using System.Text;

namespace FeedbackHub.Web.Features.Email;

/// <summary>An email as FeedbackHub composes it, before it becomes MIME.</summary>
public sealed record OutgoingEmail(
    string MessageId,
    string ToAddress,
    string? ToName,
    string Subject,
    string HtmlBody,
    string TextBody,
    string? ListUnsubscribeUrl = null);

public static class EmailMessages
{
    /// <summary>
    /// A multipart/alternative message (plain text first, HTML preferred) with a stable Message-ID,
    /// and the RFC 8058 one-click unsubscribe headers when the email has an unsubscribe address.
    /// </summary>
    public static MailMessage ToMailMessage(OutgoingEmail email, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(options);
        var message = new MailMessage
        {
            From = new MailAddress(options.FromAddress, options.FromName),
            Subject = email.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
        };
        message.To.Add(new MailAddress(email.ToAddress, email.ToName));
        message.Headers["Message-ID"] = $"<{email.MessageId}>";
        if (email.ListUnsubscribeUrl is not null)
        {
            message.Headers["List-Unsubscribe"] = $"<{email.ListUnsubscribeUrl}>";
            message.Headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
        }

        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(email.TextBody, Encoding.UTF8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(email.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));
        return message;
    }
}
