using System.Buffers.Binary;
using System.Text;
using FeedbackHub.Classification.Features;

namespace FeedbackHub.Classification.Model;

/// <summary>
/// The model file: an 8-byte magic header, a format version, the payload length, the payload
/// (settings, labels, calibration, then only the buckets that carry weights) and a CRC-32 of the payload.
/// </summary>
public static class ModelSerializer
{
    /// <summary>The conventional file extension.</summary>
    public const string FileExtension = ".fhmodel";

    /// <summary>2 adds <see cref="TextFeaturizerOptions.StemWords"/>; version 1 files still load (without stemming, as they were trained).</summary>
    public const ushort FormatVersion = 2;

    private const int HeaderLength = 8 + 2 + 2 + 8;
    private const int MaxLabels = 256;
    private static readonly byte[] Magic = "FHREASON"u8.ToArray();

    public static void Save(MaximumEntropyModelParameters model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            WritePayload(model, writer);
        }

        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], bytes.Length);
        stream.Write(header);
        stream.Write(bytes);
        Span<byte> checksum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, Crc32.Compute(bytes));
        stream.Write(checksum);
    }

    public static void Save(MaximumEntropyModelParameters model, string path)
    {
        // Written next to the target and moved over it, so a crash never leaves half a model behind.
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Save(model, stream);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a model; a file that is not one, is cut short or was altered throws <see cref="InvalidModelFileException"/>.</summary>
    public static MaximumEntropyModelParameters Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderLength];
        var headerRead = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        if (headerRead < Magic.Length || !header[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidModelFileException("This is not a FeedbackHub reason model: the file does not start with the FHREASON header.");
        }

        if (headerRead < HeaderLength)
        {
            throw new InvalidModelFileException($"The model file is truncated: its header has {headerRead} of {HeaderLength} bytes.");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidModelFileException(
                $"The model file has format version {version}; this build reads version {FormatVersion}. Retrain the model or use a matching FeedbackHub version.");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
        if (length is <= 0 or > int.MaxValue - 64)
        {
            throw new InvalidModelFileException($"The model file is corrupt: its header announces {length} bytes of model data.");
        }

        var payload = new byte[length + 4];
        var read = stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
        if (read < payload.Length)
        {
            throw new InvalidModelFileException(
                $"The model file is truncated: it holds {Math.Max(0, read - 4)} of the {length} bytes of model data its header announces.");
        }

        var expected = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan((int)length));
        var actual = Crc32.Compute(payload.AsSpan(0, (int)length));
        if (expected != actual)
        {
            throw new InvalidModelFileException($"The model file is corrupt: its checksum is {actual:x8}, the file says {expected:x8}.");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, 0, (int)length, writable: false), Encoding.UTF8);
            return ReadPayload(reader, version);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or FormatException or OverflowException)
        {
            throw new InvalidModelFileException($"The model file is corrupt: {ex.Message}", ex);
        }
    }

    public static MaximumEntropyModelParameters Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(stream);
    }

    private static void WritePayload(MaximumEntropyModelParameters model, BinaryWriter writer)
    {
        var info = model.Info;
        writer.Write(info.Version);
        writer.Write(info.TrainedAt.ToUnixTimeMilliseconds());
        writer.Write(info.Trainer);
        writer.Write(model.Labels.Count);
        for (var k = 0; k < model.Labels.Count; k++)
        {
            writer.Write(model.Labels[k]);
            writer.Write(info.TrainingCounts.FirstOrDefault(c => c.Label == model.Labels[k])?.Count ?? 0);
        }

        writer.Write(info.CrossValidation is not null);
        if (info.CrossValidation is { } cv)
        {
            writer.Write(cv.MacroF1);
            writer.Write(cv.Accuracy);
            writer.Write(cv.Count);
            writer.Write(cv.Folds);
        }

        var f = model.Featurizer;
        writer.Write(f.HashBits);
        writer.Write(f.WordNgramLength);
        writer.Write(f.CharNgramMinLength);
        writer.Write(f.CharNgramMaxLength);
        writer.Write(f.SublinearTermFrequency);
        writer.Write(f.WordBlockWeight);
        writer.Write(f.CharBlockWeight);
        writer.Write(f.StemWords);

        writer.Write(model.Temperature);
        foreach (var b in model.Bias)
        {
            writer.Write(b);
        }

        // Only buckets seen in training carry weights: the file stays small however large the hash space.
        var stride = model.Labels.Count + 1;
        var table = model.Table;
        writer.Write(model.ActiveBuckets);
        var previous = -1;
        for (var bucket = 0; bucket * stride < table.Length; bucket++)
        {
            var row = table.AsSpan(bucket * stride, stride);
            if (row[0] == 0)
            {
                continue;
            }

            writer.Write7BitEncodedInt(bucket - previous);
            previous = bucket;
            foreach (var value in row)
            {
                writer.Write(value);
            }
        }
    }

    private static MaximumEntropyModelParameters ReadPayload(BinaryReader reader, int formatVersion)
    {
        var version = reader.ReadString();
        var trainedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        var trainer = reader.ReadString();
        var labelCount = reader.ReadInt32();
        if (labelCount is < 2 or > MaxLabels)
        {
            throw new InvalidModelFileException($"The model file is corrupt: it declares {labelCount} labels.");
        }

        var labels = new string[labelCount];
        var counts = new LabelCount[labelCount];
        for (var k = 0; k < labelCount; k++)
        {
            labels[k] = reader.ReadString();
            counts[k] = new LabelCount(labels[k], reader.ReadInt32());
        }

        EvaluationSummary? cv = null;
        if (reader.ReadBoolean())
        {
            cv = new EvaluationSummary(reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadInt32());
        }

        var featurizer = new TextFeaturizerOptions
        {
            HashBits = reader.ReadInt32(),
            WordNgramLength = reader.ReadInt32(),
            CharNgramMinLength = reader.ReadInt32(),
            CharNgramMaxLength = reader.ReadInt32(),
            SublinearTermFrequency = reader.ReadBoolean(),
            WordBlockWeight = reader.ReadSingle(),
            CharBlockWeight = reader.ReadSingle(),
        };
        featurizer = featurizer with { StemWords = formatVersion >= 2 && reader.ReadBoolean() };
        featurizer.Validate();

        var temperature = reader.ReadSingle();
        if (!(temperature > 0) || float.IsInfinity(temperature))
        {
            throw new InvalidModelFileException($"The model file is corrupt: its temperature is {temperature}.");
        }

        var bias = new float[labelCount];
        for (var k = 0; k < labelCount; k++)
        {
            bias[k] = reader.ReadSingle();
        }

        var stride = labelCount + 1;
        var buckets = 1 << featurizer.HashBits;
        var table = new float[buckets * stride];
        var active = reader.ReadInt32();
        if (active < 0 || active > buckets)
        {
            throw new InvalidModelFileException($"The model file is corrupt: it declares {active} weighted buckets in a space of {buckets}.");
        }

        var bucket = -1;
        for (var i = 0; i < active; i++)
        {
            bucket += reader.Read7BitEncodedInt();
            if (bucket < 0 || bucket >= buckets)
            {
                throw new InvalidModelFileException($"The model file is corrupt: bucket {bucket} lies outside the hash space.");
            }

            for (var j = 0; j < stride; j++)
            {
                table[(bucket * stride) + j] = reader.ReadSingle();
            }
        }

        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidModelFileException("The model file is corrupt: there is data after the last weight.");
        }

        var info = new ModelInfo { Version = version, TrainedAt = trainedAt, Trainer = trainer, TrainingCounts = counts, CrossValidation = cv };
        return new MaximumEntropyModelParameters(labels, featurizer, table, bias, temperature, info);
    }
}

/// <summary>A model file that is not one, is cut short, was altered, or has a format this build does not read.</summary>
public sealed class InvalidModelFileException : Exception
{
    public InvalidModelFileException(string message)
        : base(message)
    {
    }

    public InvalidModelFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
