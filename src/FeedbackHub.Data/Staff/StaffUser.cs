using Microsoft.AspNetCore.Identity;

namespace FeedbackHub.Data.Staff;

/// <summary>A person who works in FeedbackHub: admin, support lead or marketer.</summary>
public sealed class StaffUser : IdentityUser
{
    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when an admin disables the account; a disabled account cannot sign in.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    public bool IsDisabled => DisabledAt is not null;
}
