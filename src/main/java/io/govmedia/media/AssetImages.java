package io.govmedia.media;

import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a stored image back with javax.imageio on the "govmedia-media" worker threads (never an event loop): its
 * dimensions, proof that it decodes, and a JPEG thumbnail of at most {@value #THUMBNAIL_MAX} px. The file is read
 * from GridFS one chunk at a time and decoded with subsampling, so a 10 MB photo of 50 megapixels needs about a
 * megabyte of heap, not the 200 MB its full decode would take.
 */
public final class AssetImages implements AutoCloseable {

  static final int THUMBNAIL_MAX = 320;
  /** Larger images would take seconds of a worker to decode; cameras and phones stay well below. */
  static final long MAX_PIXELS = 120_000_000L;

  private final WorkerExecutor workers;

  public AssetImages(Vertx vertx) {
    this.workers = vertx.createSharedWorkerExecutor("govmedia-media", 2);
  }

  /** What was read from an image. */
  record Inspected(int width, int height, AssetStore.Thumbnail thumbnail) {}

  /**
   * Dimensions and thumbnail of a stored JPEG, PNG or GIF; a 422 problem if ImageIO cannot decode it. A store that
   * fails to deliver the bytes fails with the store's exception (503 upstream): ImageIO swallows or rewraps read
   * errors (a reader that cannot read the header just "does not recognise" the image), so the stream remembers them.
   */
  Future<Inspected> inspect(AssetStore store, AssetFile file) {
    return workers.executeBlocking(() -> {
      StoredImage in = new StoredImage(store, file);
      try (in) {
        Inspected inspected = read(in);
        if (in.storeFailure != null) {
          throw in.storeFailure;  // a reader that carried on past a failed read made a picture of what it had
        }
        return inspected;
      } catch (IOException | RuntimeException e) {
        if (in.storeFailure != null) {
          throw in.storeFailure;
        }
        throw e instanceof Problem problem ? problem : unreadable(e.getMessage());
      }
    }, false);
  }

  @Override
  public void close() {
    workers.close();
  }

  private static Inspected read(ImageInputStream in) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw unreadable("ImageIO 不认识这种图片编码");
    }
    ImageReader reader = readers.next();
    try {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width < 1 || height < 1 || (long) width * height > MAX_PIXELS) {
        throw new Problem(422, "image-too-large", "图片像素过多", "图片为 " + width + "×" + height
          + " 像素，超过 " + MAX_PIXELS / 1_000_000 + " 百万像素的上限。");
      }
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      ImageReadParam param = reader.getDefaultReadParam();
      int step = Math.max(1, Math.max(width, height) / (THUMBNAIL_MAX * 2));
      param.setSourceSubsampling(step, step, 0, 0);
      BufferedImage image = reader.read(0, param);
      if (warnings.stream().map(w -> w.toLowerCase(java.util.Locale.ROOT))
        .anyMatch(w -> w.contains("premature end") || w.contains("truncated"))) {
        throw unreadable("图片数据不完整（上传被截断？）");
      }
      BufferedImage thumbnail = scale(image);
      return new Inspected(width, height, new AssetStore.Thumbnail(jpeg(thumbnail), thumbnail.getWidth(), thumbnail.getHeight()));
    } finally {
      reader.dispose();
    }
  }

  /** Fits the image into THUMBNAIL_MAX × THUMBNAIL_MAX on white (JPEG has no transparency). */
  private static BufferedImage scale(BufferedImage source) {
    double factor = Math.min(1.0, (double) THUMBNAIL_MAX / Math.max(source.getWidth(), source.getHeight()));
    int width = Math.max(1, (int) Math.round(source.getWidth() * factor));
    int height = Math.max(1, (int) Math.round(source.getHeight() * factor));
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return target;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.85f);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static Problem unreadable(String why) {
    return new Problem(422, "unreadable-image", "图片无法解码",
      "文件开头是图片格式，但内容无法解码" + (why == null ? "" : "：" + why) + "。请检查文件，或另存为 RGB 的 JPG / PNG 后重新上传。");
  }

  /** A stored file as ImageIO reads it: random access, one GridFS chunk held at a time. */
  private static final class StoredImage extends ImageInputStreamImpl {
    private final AssetStore store;
    private final AssetFile file;
    private int chunkNumber = -1;
    private byte[] chunk;
    /** Why the store failed to deliver a chunk, whatever ImageIO made of it. */
    private RuntimeException storeFailure;

    StoredImage(AssetStore store, AssetFile file) {
      this.store = store;
      this.file = file;
    }

    @Override
    public long length() {
      return file.length();
    }

    @Override
    public int read() throws IOException {
      checkClosed();
      bitOffset = 0;
      if (streamPos >= file.length()) {
        return -1;
      }
      int at = loadChunk();
      streamPos++;
      return chunk[at] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      checkClosed();
      bitOffset = 0;
      if (length == 0) {
        return 0;
      }
      if (streamPos >= file.length()) {
        return -1;
      }
      int at = loadChunk();
      int count = Math.min(length, chunk.length - at);
      System.arraycopy(chunk, at, into, offset, count);
      streamPos += count;
      return count;
    }

    /** Holds the chunk with the byte at streamPos; answers that byte's offset in it. */
    private int loadChunk() throws IOException {
      int n = (int) (streamPos / file.chunkSize());
      if (n != chunkNumber) {
        if (storeFailure != null) {
          throw new IOException("the store failed already", storeFailure);  // readers probe again and again
        }
        try {
          chunk = store.chunkBlocking(file, n);
        } catch (RuntimeException e) {
          storeFailure = e;
          throw new IOException("the store did not deliver chunk " + n, e);
        }
        chunkNumber = n;
      }
      return (int) (streamPos - (long) n * file.chunkSize());
    }
  }
}
