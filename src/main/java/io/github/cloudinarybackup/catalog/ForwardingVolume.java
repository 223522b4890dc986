package io.github.cloudinarybackup.catalog;

import java.io.File;
import java.nio.ByteBuffer;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/** A volume that passes every call on to another: a subclass overrides what it watches. */
class ForwardingVolume extends Volume {

  private final Volume volume;

  ForwardingVolume(Volume volume) {
    this.volume = volume;
  }

  @Override
  public void sync() {
    volume.sync();
  }

  @Override
  public void ensureAvailable(long offset) {
    volume.ensureAvailable(offset);
  }

  @Override
  public void truncate(long size) {
    volume.truncate(size);
  }

  @Override
  public void putLong(long offset, long value) {
    volume.putLong(offset, value);
  }

  @Override
  public void putInt(long offset, int value) {
    volume.putInt(offset, value);
  }

  @Override
  public void putByte(long offset, byte value) {
    volume.putByte(offset, value);
  }

  @Override
  public void putData(long offset, byte[] src, int srcPos, int srcSize) {
    volume.putData(offset, src, srcPos, srcSize);
  }

  @Override
  public void putData(long offset, ByteBuffer buf) {
    volume.putData(offset, buf);
  }

  @Override
  public void putDataOverlap(long offset, byte[] src, int srcPos, int srcSize) {
    volume.putDataOverlap(offset, src, srcPos, srcSize);
  }

  @Override
  public long getLong(long offset) {
    return volume.getLong(offset);
  }

  @Override
  public int getInt(long offset) {
    return volume.getInt(offset);
  }

  @Override
  public byte getByte(long offset) {
    return volume.getByte(offset);
  }

  @Override
  public DataInput2 getDataInput(long offset, int size) {
    return volume.getDataInput(offset, size);
  }

  @Override
  public DataInput2 getDataInputOverlap(long offset, int size) {
    return volume.getDataInputOverlap(offset, size);
  }

  @Override
  public void getData(long offset, byte[] bytes, int bytesPos, int size) {
    volume.getData(offset, bytes, bytesPos, size);
  }

  @Override
  public void clear(long startOffset, long endOffset) {
    volume.clear(startOffset, endOffset);
  }

  @Override
  public void clearOverlap(long startOffset, long endOffset) {
    volume.clearOverlap(startOffset, endOffset);
  }

  @Override
  public void close() {
    volume.close();
  }

  @Override
  public boolean isClosed() {
    return volume.isClosed();
  }

  @Override
  public int sliceSize() {
    return volume.sliceSize();
  }

  @Override
  public boolean isSliced() {
    return volume.isSliced();
  }

  @Override
  public long length() {
    return volume.length();
  }

  @Override
  public boolean isReadOnly() {
    return volume.isReadOnly();
  }

  @Override
  public File getFile() {
    return volume.getFile();
  }

  @Override
  public boolean getFileLocked() {
    return volume.getFileLocked();
  }
}
