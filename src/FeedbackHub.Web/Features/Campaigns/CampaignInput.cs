using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Web.Features.Email.Templates;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>A campaign as a marketer (staff page) or an automation (API) writes it; checked by <see cref="Validate"/>.</summary>
public sealed class CampaignInput
{
    public string? Name { get; set; }

    public string? CodePrefix { get; set; }

    public DiscountKind DiscountKind { get; set; } = DiscountKind.Percentage;

    public decimal? DiscountValue { get; set; }

    public decimal? MinimumOrderValue { get; set; }

    public string Currency { get; set; } = "EUR";

    public int ValidityDays { get; set; } = 30;

    public QualifyingOrders Qualifying { get; set; } = QualifyingOrders.FirstOrder;

    public int? EveryNth { get; set; }

    public int SendDelayMinutes { get; set; } = 60;

    public DateTimeOffset? StartsAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>Share of customers in the hold-out group, 0 to 0.5 (e.g. 0.1 for 10 %).</summary>
    public decimal HoldoutShare { get; set; } = 0.1m;

    public HoldoutTreatment HoldoutTreatment { get; set; } = HoldoutTreatment.ThankYouWithoutCode;

    /// <summary>Exclude customers whose share of earlier orders with a discount is above this (0–1); null excludes nobody for it.</summary>
    public decimal? ExcludeDiscountShareAbove { get; set; }

    public bool ExcludeFlaggedCustomers { get; set; } = true;

    public List<VariantInput> Variants { get; set; } = [new() { Name = "A" }];

    public const decimal MaxHoldoutShare = 0.5m;
    public const int MaxValidityDays = 366;
    public const int MaxSendDelayMinutes = 30 * 24 * 60;

    /// <summary>Every problem, keyed by field path (<c>variants[1].weight</c>), worded for the person who typed it.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > FieldLengths.Name)
        {
            Add("name", $"Give the campaign a name (1 to {FieldLengths.Name} characters).");
        }

        if (DiscountCodeFormat.PrefixProblem(CodePrefix?.Trim()) is { } prefixProblem)
        {
            Add("codePrefix", prefixProblem);
        }

        CheckDiscount("", DiscountKind, DiscountValue, Add, required: true);
        if (MinimumOrderValue is < 0 or > 1_000_000)
        {
            Add("minimumOrderValue", "The minimum order value must be between 0 and 1,000,000 (or empty for none).");
        }

        if (Currency is null || Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper))
        {
            Add("currency", "The currency is a three-letter ISO 4217 code in capitals, e.g. EUR.");
        }

        if (ValidityDays is < 1 or > MaxValidityDays)
        {
            Add("validityDays", $"Codes must be valid for 1 to {MaxValidityDays} days.");
        }

        if (Qualifying == QualifyingOrders.EveryNthOrder ? EveryNth is not (>= 2 and <= 100) : EveryNth is not null)
        {
            Add("everyNth", Qualifying == QualifyingOrders.EveryNthOrder
                ? "For every Nth order, give N from 2 to 100."
                : "N is only used with 'every Nth order'; leave it empty.");
        }

        if (SendDelayMinutes is < 0 or > MaxSendDelayMinutes)
        {
            Add("sendDelayMinutes", $"The send delay is 0 to {MaxSendDelayMinutes:N0} minutes (30 days).");
        }

        if (StartsAt is null)
        {
            Add("startsAt", "Give the date the campaign starts.");
        }

        if (EndsAt is { } end && StartsAt is { } start && end <= start)
        {
            Add("endsAt", "The end must be after the start (or empty for no end).");
        }

        if (HoldoutShare is < 0 or > MaxHoldoutShare)
        {
            Add("holdoutShare", $"The hold-out share is 0 to {MaxHoldoutShare.ToString("0.0", CultureInfo.InvariantCulture)} (0 % to 50 %).");
        }

        if (ExcludeDiscountShareAbove is < 0 or >= 1)
        {
            Add("excludeDiscountShareAbove", "The discount-dependency threshold is a share from 0 up to (not including) 1, e.g. 0.5; empty excludes nobody for it.");
        }

        if (Variants is null || Variants.Count is 0 or > CampaignLimits.Variants)
        {
            Add("variants", $"Give 1 to {CampaignLimits.Variants} variants.");
        }
        else
        {
            for (var i = 0; i < Variants.Count; i++)
            {
                // JSON may send null in the list ("variants": [null]); it is a mistake to name, not a crash.
                if (Variants[i] is null)
                {
                    Add($"variants[{i}]", "A variant is an object with at least a name; this one is empty.");
                    continue;
                }

                Variants[i].Validate($"variants[{i}].", Add);
            }

            foreach (var duplicate in Variants.OfType<VariantInput>().GroupBy(v => v.Name?.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1 && g.Key is { Length: > 0 }))
            {
                Add("variants", $"Two variants are called '{duplicate.Key}'; give each its own name.");
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    internal static void CheckDiscount(string prefix, DiscountKind kind, decimal? value, Action<string, string> add, bool required)
    {
        switch (value)
        {
            case null when required:
                add(prefix + "discountValue", "Give the discount: a percentage (e.g. 10) or an amount (e.g. 5.00).");
                break;
            case { } percentage when kind == DiscountKind.Percentage && (percentage <= 0 || percentage > 90 || decimal.Round(percentage, 2) != percentage):
                add(prefix + "discountValue", "A percentage discount is more than 0 and at most 90, with at most two decimals.");
                break;
            case { } amount when kind == DiscountKind.Amount && (amount <= 0 || amount > 10_000 || decimal.Round(amount, 2) != amount):
                add(prefix + "discountValue", "An amount discount is more than 0 and at most 10,000, in cents at most (two decimals).");
                break;
        }
    }

    /// <summary>The input as stored (trimmed, normalised); variants keep their ids so their codes and assignments stay attached.</summary>
    public static CampaignInput From(Campaign campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new()
        {
            Name = campaign.Name,
            CodePrefix = campaign.CodePrefix,
            DiscountKind = campaign.DiscountKind,
            DiscountValue = campaign.DiscountValue,
            MinimumOrderValue = campaign.MinimumOrderValue,
            Currency = campaign.Currency,
            ValidityDays = campaign.ValidityDays,
            Qualifying = campaign.Qualifying,
            EveryNth = campaign.EveryNth,
            SendDelayMinutes = campaign.SendDelayMinutes,
            StartsAt = campaign.StartsAt,
            EndsAt = campaign.EndsAt,
            HoldoutShare = campaign.HoldoutShare,
            HoldoutTreatment = campaign.HoldoutTreatment,
            ExcludeDiscountShareAbove = campaign.ExcludeDiscountShareAbove,
            ExcludeFlaggedCustomers = campaign.ExcludeFlaggedCustomers,
            Variants = [.. campaign.Variants.OrderBy(v => v.Id).Select(VariantInput.From)],
        };
    }
}

/// <summary>One A/B arm: a weight, and optionally its own discount or intro text per language.</summary>
public sealed class VariantInput
{
    /// <summary>The stored variant this input changes; null for a new one.</summary>
    public long? Id { get; set; }

    public string? Name { get; set; }

    public int Weight { get; set; } = 1;

    /// <summary>With <see cref="DiscountValue"/>, replaces the campaign's discount for this variant.</summary>
    public DiscountKind? DiscountKind { get; set; }

    public decimal? DiscountValue { get; set; }

    public string? IntroEnglish { get; set; }

    public string? IntroDutch { get; set; }

    internal void Validate(string prefix, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > CampaignLimits.VariantName)
        {
            add(prefix + "name", $"Give the variant a name (1 to {CampaignLimits.VariantName} characters).");
        }

        if (Weight is < 1 or > 100)
        {
            add(prefix + "weight", "A variant's weight is 1 to 100 (relative to the other variants).");
        }

        if (DiscountKind is null != DiscountValue is null)
        {
            add(prefix + "discountValue", "To give this variant its own discount, set both the kind and the value; leave both empty to use the campaign's.");
        }
        else if (DiscountKind is { } kind)
        {
            CampaignInput.CheckDiscount(prefix, kind, DiscountValue, add, required: true);
        }

        foreach (var (field, text) in new[] { ("introEnglish", IntroEnglish), ("introDutch", IntroDutch) })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            foreach (var problem in EmailTemplates.ThankYou.Validate("intro", text))
            {
                add(prefix + field, problem);
            }
        }
    }

    public static VariantInput From(CampaignVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return new()
        {
            Id = variant.Id,
            Name = variant.Name,
            Weight = variant.Weight,
            DiscountKind = variant.DiscountKind,
            DiscountValue = variant.DiscountValue,
            IntroEnglish = variant.IntroEnglish,
            IntroDutch = variant.IntroDutch,
        };
    }
}
