using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// A Chrome extension as a tenant uploads it: a <c>.zip</c> of an unpacked Manifest V3 extension, or a <c>.crx</c> (a
/// zip behind a signed header, which is taken off: Chromium loads the unpacked files, unsigned). The manifest sits at the
/// top of the zip, or in its one top folder. <see cref="Check"/> refuses what Chromium could not load or what would
/// write outside the folder it is unpacked into; <see cref="Unpack"/> writes a checked package into a dedicated
/// browser's profile folder, checking again as it goes.
/// </summary>
public static class ExtensionPackage
{
    private const int MaxEntries = 10_000;
    private const int MaxManifestBytes = 1 << 20;
    private static readonly byte[] CrxMagic = "Cr24"u8.ToArray();

    /// <summary>A package that passed: the zip Chromium's files come from, and its manifest's name and version.</summary>
    public sealed record Checked(byte[] Zip, string Name, string Version);

    /// <summary>The package, or why it cannot be loaded: no zip, no manifest, not Manifest V3, a path outside its folder, too big unpacked.</summary>
    public static (Checked? Package, string? Error) Check(byte[] upload, long maxUnpackedBytes)
    {
        try
        {
            var zip = ZipOf(upload);
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            var root = Root(archive, maxUnpackedBytes);
            var manifest = archive.GetEntry(root + "manifest.json")!;
            var (name, version) = ReadManifest(manifest);
            return (new Checked(zip, name, version), null);
        }
        catch (InvalidPackageException ex)
        {
            return (null, ex.Message);
        }
        catch (InvalidDataException)
        {
            return (null, "the extension is not a .zip or a .crx file (a zip of the extension's folder, with its manifest.json)");
        }
    }

    /// <summary>Writes a checked package's files into <paramref name="folder"/> (its manifest.json at the top).</summary>
    /// <exception cref="InvalidDataException">The package is not what it was when it was checked.</exception>
    public static void Unpack(byte[] zip, string folder, long maxUnpackedBytes)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        string root;
        try
        {
            root = Root(archive, maxUnpackedBytes);
        }
        catch (InvalidPackageException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        var top = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var left = maxUnpackedBytes;
        foreach (var entry in archive.Entries.Where(e => Normalized(e).StartsWith(root, StringComparison.Ordinal)))
        {
            var relative = Normalized(entry)[root.Length..];
            if (relative.Length == 0)
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(top, relative));
            if (!target.StartsWith(top, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"the extension's entry '{relative}' would be written outside its folder");
            }

            if (relative.EndsWith('/'))
            {
                Directory.CreateDirectory(target);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = entry.Open();
            using var file = File.Create(target);
            var buffer = new byte[81920];
            int read;
            while ((read = source.Read(buffer)) > 0)
            {
                left -= read;
                if (left < 0)
                {
                    throw new InvalidDataException($"the extension unpacks to more than {maxUnpackedBytes} bytes");
                }

                file.Write(buffer, 0, read);
            }
        }
    }

    /// <summary>The zip inside an upload: the upload itself, or what follows a crx's header (versions 2 and 3).</summary>
    private static byte[] ZipOf(byte[] upload)
    {
        if (upload.Length < 4 || !upload.AsSpan(0, 4).SequenceEqual(CrxMagic))
        {
            return upload;
        }

        if (upload.Length < 12)
        {
            throw new InvalidPackageException("the .crx file is damaged: its header is cut short");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(upload.AsSpan(4));
        long start = version switch
        {
            3 => 12L + BinaryPrimitives.ReadUInt32LittleEndian(upload.AsSpan(8)),
            2 when upload.Length >= 16 => 16L + BinaryPrimitives.ReadUInt32LittleEndian(upload.AsSpan(8)) + BinaryPrimitives.ReadUInt32LittleEndian(upload.AsSpan(12)),
            2 => throw new InvalidPackageException("the .crx file is damaged: its header is cut short"),
            _ => throw new InvalidPackageException($"the .crx file has format version {version}; SessionGrid reads versions 2 and 3"),
        };
        return start < upload.Length
            ? upload[(int)start..]
            : throw new InvalidPackageException("the .crx file is damaged: it holds no zip after its header");
    }

    /// <summary>
    /// Where the extension's files start in the zip: its top, or its one top folder, whichever holds manifest.json.
    /// Checks every entry on the way: no absolute path, none leaving its folder, not too many, not too big unpacked.
    /// </summary>
    private static string Root(ZipArchive archive, long maxUnpackedBytes)
    {
        if (archive.Entries.Count > MaxEntries)
        {
            throw new InvalidPackageException($"the extension has more than {MaxEntries} files");
        }

        long total = 0;
        foreach (var entry in archive.Entries)
        {
            var name = Normalized(entry);
            if (name.StartsWith('/') || (name.Length > 1 && name[1] == ':'))
            {
                throw new InvalidPackageException($"the extension has an entry with an absolute path ('{Shorten(name)}')");
            }

            if (name.Split('/').Any(segment => segment == ".."))
            {
                throw new InvalidPackageException($"the extension has an entry that leaves its folder ('{Shorten(name)}'): '../' is not allowed");
            }

            total += entry.Length;
            if (total > maxUnpackedBytes)
            {
                throw new InvalidPackageException($"the extension unpacks to more than {maxUnpackedBytes} bytes");
            }
        }

        if (archive.GetEntry("manifest.json") is not null)
        {
            return "";
        }

        var tops = archive.Entries.Select(e => Normalized(e).Split('/')).Select(parts => parts.Length > 1 ? parts[0] + "/" : null).Distinct().ToList();
        if (tops is [{ } folder] && archive.GetEntry(folder + "manifest.json") is not null)
        {
            return folder;
        }

        throw new InvalidPackageException("the extension has no manifest.json at its top (or in its one top folder)");
    }

    private static (string Name, string Version) ReadManifest(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxManifestBytes)
        {
            throw new InvalidPackageException($"manifest.json is larger than {MaxManifestBytes} bytes");
        }

        JsonDocument document;
        try
        {
            using var stream = entry.Open();
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidPackageException($"manifest.json is not valid JSON: {ex.Message.Split('\n')[0]}");
        }

        using (document)
        {
            var manifest = document.RootElement;
            if (manifest.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidPackageException("manifest.json must be a JSON object");
            }

            if (!manifest.TryGetProperty("manifest_version", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidPackageException("manifest.json has no manifest_version: SessionGrid loads Manifest V3 extensions (\"manifest_version\": 3)");
            }

            if (!version.TryGetInt32(out var number) || number != 3)
            {
                throw new InvalidPackageException($"manifest.json has manifest_version {version.GetRawText()}: SessionGrid loads Manifest V3 extensions only (Chromium no longer loads version 2)");
            }

            var name = Text(manifest, "name");
            var semver = Text(manifest, "version");
            return name is null || semver is null
                ? throw new InvalidPackageException("manifest.json needs a name and a version")
                : (name, semver);
        }
    }

    private static string? Text(JsonElement manifest, string property) =>
        manifest.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text.Length <= 200 ? text : text[..200]
            : null;

    private static string Normalized(ZipArchiveEntry entry) => entry.FullName.Replace('\\', '/');

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private sealed class InvalidPackageException(string message) : Exception(message);
}
