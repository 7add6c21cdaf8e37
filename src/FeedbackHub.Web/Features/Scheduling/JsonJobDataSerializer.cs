using System.Collections.Specialized;
using System.Runtime.Serialization;
using System.Text.Json;
using Quartz.Spi;

namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>
/// Stores Quartz job data as a JSON object of strings (named in <c>quartz.serializer.type</c>; Quartz's
/// own JSON serializer is in a package that cannot be restored here). With
/// <c>quartz.jobStore.useProperties=true</c> every job data value is a string and Quartz hands the map
/// over as a <see cref="NameValueCollection"/>, which System.Text.Json cannot read back by itself, so it
/// goes through a string dictionary. Anything else (calendars, blob triggers: FeedbackHub uses neither)
/// is refused rather than stored in a form nobody could read back.
/// </summary>
public sealed class JsonJobDataSerializer : IObjectSerializer
{
    public void Initialize()
    {
        // Stateless: nothing to set up.
    }

    public byte[] Serialize<T>(T obj)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj is not NameValueCollection properties)
        {
            throw Refused(obj.GetType());
        }

        var values = new Dictionary<string, string?>(properties.Count, StringComparer.Ordinal);
        foreach (var key in properties.AllKeys)
        {
            if (key is null)
            {
                throw new NotSupportedException("Job data without a key cannot be stored in the job store.");
            }

            // Quartz writes one value per key; several would come back as one comma-joined string.
            if (properties.GetValues(key) is { Length: > 1 } several)
            {
                throw new NotSupportedException($"Job data '{key}' has {several.Length} values; the job store keeps one string per key.");
            }

            values[key] = properties[key];
        }

        return JsonSerializer.SerializeToUtf8Bytes(values);
    }

    public T DeSerialize<T>(byte[] data)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!typeof(T).IsAssignableFrom(typeof(NameValueCollection)))
        {
            throw Refused(typeof(T));
        }

        Dictionary<string, string?>? values;
        try
        {
            values = JsonSerializer.Deserialize<Dictionary<string, string?>>(data);
        }
        catch (JsonException ex)
        {
            throw new SerializationException(
                "Job data in the Quartz job store is not a JSON object of strings, so FeedbackHub did not write it. " +
                "Delete the job (or the trigger) that holds it; the app schedules its own jobs again at start-up.", ex);
        }

        var properties = new NameValueCollection(values?.Count ?? 0, StringComparer.Ordinal);
        foreach (var (key, value) in values ?? [])
        {
            properties[key] = value;
        }

        return (T)(object)properties;
    }

    private static NotSupportedException Refused(Type type) =>
        new($"The Quartz job store of FeedbackHub keeps only job data made of strings (quartz.jobStore.useProperties=true); " +
            $"it cannot store a {type.FullName}. Calendars and blob triggers are not supported.");
}
