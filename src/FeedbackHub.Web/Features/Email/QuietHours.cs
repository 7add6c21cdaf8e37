namespace FeedbackHub.Web.Features.Email;

/// <summary>The hours in which customers get no email, in their own time zone.</summary>
public sealed class QuietHours(TimeOnly start, TimeOnly end)
{
    /// <summary>
    /// <paramref name="due"/> itself when it falls outside quiet hours, else the first minute after
    /// them in that time zone. A window may run past midnight (21:00–08:00); start equal to end means none.
    /// </summary>
    public DateTimeOffset NextAllowed(DateTimeOffset due, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (start == end)
        {
            return due;
        }

        var local = TimeZoneInfo.ConvertTime(due, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var quiet = start < end ? time >= start && time < end : time >= start || time < end;
        if (!quiet)
        {
            return due;
        }

        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (start > end && time >= start)
        {
            endDate = endDate.AddDays(1);
        }

        return ToUtc(endDate.ToDateTime(end), zone);
    }

    /// <summary>A local time that a spring-forward gap skips is moved past the gap.</summary>
    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The same, in the recipient's zone by id, or in <paramref name="defaultTimeZone"/> when that id is unknown.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset due, string? timeZone, string defaultTimeZone) =>
        NextAllowed(due, ZoneOrDefault(timeZone, defaultTimeZone));

    public static QuietHours From(ConsentSettings consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        return new(consent.QuietHoursStart, consent.QuietHoursEnd);
    }

    /// <summary>The customer's zone, else the configured default (an unknown id never stops an email).</summary>
    public static TimeZoneInfo ZoneOrDefault(string? timeZone, string defaultTimeZone) =>
        timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            ? zone
            : TimeZoneInfo.FindSystemTimeZoneById(defaultTimeZone);
}
