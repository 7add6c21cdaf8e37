namespace FeedbackHub.Data.Staff;

/// <summary>The fixed staff roles; every staff page and endpoint names the ones it allows.</summary>
public static class StaffRoles
{
    public const string Admin = nameof(Admin);
    public const string SupportLead = nameof(SupportLead);
    public const string Marketer = nameof(Marketer);

    public static IReadOnlyList<string> All { get; } = [Admin, SupportLead, Marketer];
}
