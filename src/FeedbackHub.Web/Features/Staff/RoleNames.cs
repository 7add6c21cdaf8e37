using FeedbackHub.Data.Staff;

namespace FeedbackHub.Web.Features.Staff;

/// <summary>Role names as people read them.</summary>
public static class RoleNames
{
    public static string Describe(string role) => role switch
    {
        StaffRoles.Admin => "Admin",
        StaffRoles.SupportLead => "Support lead",
        StaffRoles.Marketer => "Marketer",
        _ => role,
    };
}
