using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Subscriptions;

namespace FeedbackHub.Web.Features.Ingest;

/// <summary>
/// Checks incoming items field by field and turns them into records. Every problem is reported, each
/// with the path of its field, so a shop can fix a whole request at once.
/// </summary>
internal static class IngestValidator
{
    public const decimal MaxTotal = 100_000_000m;

    private static readonly HashSet<string> Currencies = new(
        CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
            .OfType<string>(),
        StringComparer.Ordinal);

    public static CustomerRecord? Validate(CustomerInput input, string prefix, string source, DateTimeOffset now, List<FieldError> errors)
    {
        var start = errors.Count;
        var externalId = RequiredId(input.ExternalId, prefix + "externalId", errors);
        var email = input.Email?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            errors.Add(new(prefix + "email", "Required."));
        }
        else if (!EmailAddresses.IsPlain(email) || !email.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(new(prefix + "email", $"'{TextLimits.Shorten(email)}' is not a valid email address."));
        }

        MaxLength(input.FirstName, FieldLengths.Name, prefix + "firstName", errors);
        MaxLength(input.LastName, FieldLengths.Name, prefix + "lastName", errors);
        var locale = input.Locale?.Trim().ToLowerInvariant();
        if (locale is not null && !CustomerLocales.IsSupported(locale))
        {
            errors.Add(new(prefix + "locale", $"'{TextLimits.Shorten(input.Locale!)}' is not supported; use 'nl' or 'en'."));
        }

        var timeZone = input.TimeZone?.Trim();
        if (timeZone is not null && (timeZone.Length > FieldLengths.TimeZone || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)))
        {
            errors.Add(new(prefix + "timeZone", $"'{TextLimits.Shorten(timeZone)}' is not a known IANA time zone such as 'Europe/Amsterdam'."));
        }

        MaxLength(input.MarketingConsentSource, FieldLengths.Source, prefix + "marketingConsentSource", errors);
        NotInFuture(input.MarketingConsentAt, now, prefix + "marketingConsentAt", errors);
        return errors.Count > start ? null : new CustomerRecord(
            externalId!, email!, input.FirstName?.Trim(), input.LastName?.Trim(), locale, timeZone, input.MarketingConsent,
            string.IsNullOrWhiteSpace(input.MarketingConsentSource) ? source : input.MarketingConsentSource.Trim(),
            (input.MarketingConsentAt ?? now).ToUniversalTime());
    }

    public static OrderRecord? Validate(OrderInput input, string prefix, DateTimeOffset now, List<FieldError> errors)
    {
        var start = errors.Count;
        var externalId = RequiredId(input.ExternalId, prefix + "externalId", errors);
        var customer = RequiredId(input.CustomerExternalId, prefix + "customerExternalId", errors);
        if (input.PlacedAt is null)
        {
            errors.Add(new(prefix + "placedAt", "Required."));
        }
        else
        {
            NotInFuture(input.PlacedAt, now, prefix + "placedAt", errors);
        }

        if (input.Total is null)
        {
            errors.Add(new(prefix + "total", "Required."));
        }
        else if (input.Total < 0 || input.Total > MaxTotal)
        {
            errors.Add(new(prefix + "total", $"Must be between 0 and {MaxTotal:N0}."));
        }
        else if (decimal.Round(input.Total.Value, 4) != input.Total.Value)
        {
            errors.Add(new(prefix + "total", "At most four decimals."));
        }

        var currency = input.Currency?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(currency))
        {
            errors.Add(new(prefix + "currency", "Required."));
        }
        else if (!Currencies.Contains(currency))
        {
            errors.Add(new(prefix + "currency", $"'{TextLimits.Shorten(input.Currency!)}' is not an ISO 4217 currency code such as 'EUR'."));
        }

        var discountCode = string.IsNullOrWhiteSpace(input.DiscountCode) ? null : input.DiscountCode.Trim();
        MaxLength(discountCode, FieldLengths.DiscountCode, prefix + "discountCode", errors);
        if (input.ItemCount is < 0 or > 100_000)
        {
            errors.Add(new(prefix + "itemCount", "Must be between 0 and 100,000."));
        }

        return errors.Count > start ? null : new OrderRecord(
            externalId!, customer!, input.PlacedAt!.Value.ToUniversalTime(), input.Total!.Value, currency!, discountCode, input.ItemCount ?? 1);
    }

    public static SubscriptionEventRecord? Validate(SubscriptionEventInput input, string prefix, DateTimeOffset now, List<FieldError> errors)
    {
        var start = errors.Count;
        var eventId = RequiredId(input.EventId, prefix + "eventId", errors);
        var customer = RequiredId(input.CustomerExternalId, prefix + "customerExternalId", errors);
        SubscriptionEventKind kind = default;
        if (string.IsNullOrWhiteSpace(input.Kind))
        {
            errors.Add(new(prefix + "kind", "Required."));
        }
        else if (!Enum.TryParse(input.Kind.Trim(), ignoreCase: true, out kind) || !Enum.IsDefined(kind) || int.TryParse(input.Kind, out _))
        {
            errors.Add(new(prefix + "kind", $"'{TextLimits.Shorten(input.Kind)}' is not one of started, paused, resumed, cancelled."));
        }

        if (input.OccurredAt is null)
        {
            errors.Add(new(prefix + "occurredAt", "Required."));
        }
        else
        {
            NotInFuture(input.OccurredAt, now, prefix + "occurredAt", errors);
        }

        return errors.Count > start ? null : new SubscriptionEventRecord(eventId!, customer!, kind, input.OccurredAt!.Value.ToUniversalTime());
    }

    /// <summary>Shop ids: required, at most 100 characters, no control characters or surrounding spaces.</summary>
    public static string? RequiredId(string? value, string path, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(path, "Required."));
            return null;
        }

        if (value.Length > FieldLengths.ExternalId || value.Any(char.IsControl) || value.Trim().Length != value.Length)
        {
            errors.Add(new(path, $"Must be 1 to {FieldLengths.ExternalId} characters without control characters or surrounding spaces."));
            return null;
        }

        return value;
    }

    /// <summary>Free text: at most <paramref name="length"/> characters, and no NUL (PostgreSQL cannot store one in text).</summary>
    private static void MaxLength(string? value, int length, string path, List<FieldError> errors)
    {
        if (value is not null && value.Trim().Length > length)
        {
            errors.Add(new(path, $"At most {length} characters."));
        }
        else if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(new(path, "Must not contain NUL characters."));
        }
    }

    /// <summary>Allows a few minutes of clock difference between the shop and us.</summary>
    private static void NotInFuture(DateTimeOffset? value, DateTimeOffset now, string path, List<FieldError> errors)
    {
        if (value > now.AddMinutes(10))
        {
            errors.Add(new(path, "Lies in the future."));
        }
    }

}
