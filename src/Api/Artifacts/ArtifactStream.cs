using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Artifacts;

/// <summary>
/// A stored artifact as a read-only, seekable stream: each read asks the session's artifacts grain for the next slice,
/// so a range request reads only its range and the API process (which may be on another node) holds one slice at a time.
/// </summary>
public sealed class ArtifactStream(ISessionArtifactsGrain grain, ArtifactKind kind, string name, long length) : Stream
{
    /// <summary>How much one read asks the grain for (it answers at most its own slice).</summary>
    private const int SliceSize = 512 << 10;

    private byte[] _slice = [];
    private long _sliceStart;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        if (_position < _sliceStart || _position >= _sliceStart + _slice.Length)
        {
            var wanted = (int)Math.Min(Math.Max(buffer.Length, SliceSize), length - _position);
            _slice = await grain.ReadAsync(kind, name, _position, wanted).WaitAsync(cancellationToken);
            _sliceStart = _position;
            if (_slice.Length == 0)
            {
                // The artifact went (swept) while it was read: it ends here.
                return 0;
            }
        }

        var offset = (int)(_position - _sliceStart);
        var count = Math.Min(buffer.Length, _slice.Length - offset);
        _slice.AsMemory(offset, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
