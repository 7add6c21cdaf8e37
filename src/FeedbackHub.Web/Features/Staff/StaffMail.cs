using System.Globalization;
using FeedbackHub.Data.Staff;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Staff;

/// <summary>
/// Account mail for staff (invitations, password resets), queued through the outbox in the caller's
/// unit of work. It is transactional: no unsubscribe link, never stopped by customer preferences.
/// </summary>
public sealed class StaffMail(Outbox outbox, IOptions<EmailOptions> options, TimeProvider time)
{
    /// <summary>The link as it appears in the email: on the configured public address, which works from any device.</summary>
    public Uri LinkFor(Invitation invitation) => StaffLinks.Invitation(options.Value.PublicBaseUrl, invitation);

    public Task<QueueResult> QueueInvitationAsync(StaffUser user, Invitation invitation, Actor inviter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(inviter);
        return QueueAsync(user, invitation, EmailTemplates.StaffInvitation, "staff-invitation", new Dictionary<string, string>
        {
            ["name"] = user.DisplayName ?? user.Email!,
            ["inviter"] = inviter.Name,
        }, cancellationToken);
    }

    public Task<QueueResult> QueuePasswordResetAsync(StaffUser user, Invitation link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return QueueAsync(user, link, EmailTemplates.PasswordReset, "password-reset", new Dictionary<string, string> { ["email"] = user.Email! }, cancellationToken);
    }

    private Task<QueueResult> QueueAsync(
        StaffUser user, Invitation link, EmailTemplate template, string kind, Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        values["valid_for"] = string.Format(CultureInfo.InvariantCulture,
            EmailTexts.For(options.Value.DefaultLocale).Days, StaffIdentity.InvitationLifetime.TotalDays);
        values[EmailTemplate.ActionUrl] = LinkFor(link).AbsoluteUri;
        // Every link is its own email: a second invitation must not be swallowed as a duplicate of the first.
        var key = $"{kind}:{user.Id}:{time.GetUtcNow().UtcTicks}";
        return outbox.QueueToStaffAsync(user.Email!, user.DisplayName, key, template, values, cancellationToken);
    }
}
