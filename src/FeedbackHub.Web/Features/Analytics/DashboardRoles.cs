using FeedbackHub.Data.Staff;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>Who may read the dashboards: every staff role. Changing what a figure is built from stays with that feature's role.</summary>
public static class DashboardRoles
{
    public const string Readers = StaffRoles.Admin + "," + StaffRoles.Marketer + "," + StaffRoles.SupportLead;
}

/// <summary>One point of a dashboard chart: a category (a month) and its value.</summary>
public sealed record ChartPoint(string Month, decimal Value);
