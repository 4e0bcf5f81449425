package main

// Reading a virtual disk's data from the simulator's datastore directory, block by block.
//
// A disk's backing file name ("[LocalDS_0] vm/vm.vmdk") is resolved like this:
//   - a text descriptor ("# Disk DescriptorFile") with FLAT or VMFS extents: the extents' data files, in order
//     (a ZERO extent reads as zeros); any other extent type (SPARSE, ...) makes the disk opaque;
//   - a hosted sparse VMDK ("KDMV" magic) or a stream-optimized one: opaque;
//   - an empty descriptor next to a "-flat.vmdk" file (what CreateVM with fileOperation=create leaves): the
//     flat file;
//   - anything else: the file itself is the raw disk.
// An opaque disk is tracked as a whole: any change of its file counts as a change of its whole capacity
// (never less than what changed, so a client relying on it copies too much, never too little).

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// blockSize is the granularity of change tracking: changed areas are whole, aligned 64 KiB blocks.
const blockSize = 64 * 1024

// seed makes block hashes comparable for the life of the process (they are never persisted).
var seed = maphash.MakeSeed()

// extent maps [diskOff, diskOff+length) of the virtual disk onto file (from fileOff); file "" reads zeros.
type extent struct {
	diskOff, length int64
	file            string
	fileOff         int64
}

// diskData is how to read one virtual disk: a list of extents, or opaque (a single file tracked whole).
type diskData struct {
	extents []extent
	opaque  string // the file of a disk whose layout the simulator does not decode
}

// blockHash is the hash of one nonzero block; zero blocks are not stored.
type blockHash struct {
	index int64
	sum   uint64
}

// image is the frozen state of a disk at one snapshot: the hashes of its nonzero blocks in index order,
// or for an opaque disk the hash of its whole file.
type image struct {
	capacity int64
	blocks   []blockHash
	opaque   bool
	fileSum  uint64
	fileSize int64
}

// resolveDisk finds the data of the disk whose descriptor is at path.
func resolveDisk(path string, capacity int64) (diskData, error) {
	head := make([]byte, 64*1024)
	f, err := os.Open(path)
	if err != nil {
		return diskData{}, err
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	flat := strings.TrimSuffix(path, ".vmdk") + "-flat.vmdk"
	switch {
	case bytes.HasPrefix(head, []byte("KDMV")) || bytes.HasPrefix(head, []byte("COWD")):
		return diskData{opaque: path}, nil
	case bytes.Contains(head, []byte("# Disk DescriptorFile")) && bytes.IndexByte(head, 0) < 0:
		return parseDescriptor(path, head)
	case n == 0 && strings.HasSuffix(path, ".vmdk") && fileExists(flat):
		return diskData{extents: []extent{{0, capacity, flat, 0}}}, nil
	default:
		return diskData{extents: []extent{{0, capacity, path, 0}}}, nil
	}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// parseDescriptor reads the extent lines of a text descriptor: `RW 2097152 FLAT "x-flat.vmdk" 0`.
func parseDescriptor(path string, text []byte) (diskData, error) {
	var out diskData
	var off int64
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || (fields[0] != "RW" && fields[0] != "RDONLY" && fields[0] != "NOACCESS") {
			continue
		}
		sectors, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return diskData{}, fmt.Errorf("%s: bad extent line %q", path, sc.Text())
		}
		length := sectors * 512
		switch fields[2] {
		case "ZERO":
			out.extents = append(out.extents, extent{off, length, "", 0})
		case "FLAT", "VMFS", "VMFSRAW", "VMFSRDM":
			if len(fields) < 4 {
				return diskData{}, fmt.Errorf("%s: extent line without file %q", path, sc.Text())
			}
			name := strings.Trim(fields[3], `"`)
			var fileOff int64
			if len(fields) > 4 {
				if fileOff, err = strconv.ParseInt(fields[4], 10, 64); err != nil {
					return diskData{}, fmt.Errorf("%s: bad extent offset %q", path, sc.Text())
				}
				fileOff *= 512
			}
			out.extents = append(out.extents, extent{off, length, filepath.Join(filepath.Dir(path), name), fileOff})
		default:
			return diskData{opaque: path}, nil
		}
		off += length
	}
	if len(out.extents) == 0 {
		return diskData{}, fmt.Errorf("%s: descriptor without extents", path)
	}
	return out, nil
}

// dataRanges lists the byte ranges of f holding data in [start, end), using SEEK_DATA/SEEK_HOLE so that
// the holes of sparse files are never read; without SEEK_DATA the whole range is data.
func dataRanges(f *os.File, start, end int64) [][2]int64 {
	const seekData, seekHole = 3, 4
	var out [][2]int64
	pos := start
	for pos < end {
		data, err := f.Seek(pos, seekData)
		if err != nil {
			if errors.Is(err, syscall.ENXIO) {
				break // no data after pos
			}
			return append(out, [2]int64{pos, end})
		}
		if data >= end {
			break
		}
		hole, err := f.Seek(data, seekHole)
		if err != nil || hole > end {
			hole = end
		}
		out = append(out, [2]int64{data, hole})
		pos = hole
	}
	return out
}

// candidateBlocks returns the sorted indexes of the blocks that may hold nonzero data.
func (d diskData) candidateBlocks(capacity int64) ([]int64, error) {
	seen := map[int64]bool{}
	for _, e := range d.extents {
		if e.file == "" {
			continue
		}
		f, err := os.Open(e.file)
		if err != nil {
			return nil, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		end := e.fileOff + e.length
		if st.Size() < end {
			end = st.Size()
		}
		for _, r := range dataRanges(f, e.fileOff, end) {
			lo := e.diskOff + r[0] - e.fileOff
			hi := e.diskOff + r[1] - e.fileOff
			if hi > capacity {
				hi = capacity
			}
			for b := lo / blockSize; b*blockSize < hi; b++ {
				seen[b] = true
			}
		}
		f.Close()
	}
	out := make([]int64, 0, len(seen))
	for b := range seen {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// reader reads the virtual disk at any offset across its extents, keeping the files open.
type reader struct {
	d     diskData
	files map[string]*os.File
}

func (r *reader) close() {
	for _, f := range r.files {
		f.Close()
	}
}

// readAt fills buf with the disk's bytes at off (zeros past the files' ends and in ZERO extents).
func (r *reader) readAt(buf []byte, off int64) error {
	for i := range buf {
		buf[i] = 0
	}
	for _, e := range r.d.extents {
		lo, hi := off, off+int64(len(buf))
		if lo < e.diskOff {
			lo = e.diskOff
		}
		if hi > e.diskOff+e.length {
			hi = e.diskOff + e.length
		}
		if lo >= hi || e.file == "" {
			continue
		}
		f := r.files[e.file]
		if f == nil {
			var err error
			if f, err = os.Open(e.file); err != nil {
				return err
			}
			r.files[e.file] = f
		}
		if _, err := f.ReadAt(buf[lo-off:hi-off], e.fileOff+lo-e.diskOff); err != nil && err != io.EOF {
			return err
		}
	}
	return nil
}

func isZero(b []byte) bool {
	for len(b) >= 8 {
		if b[0]|b[1]|b[2]|b[3]|b[4]|b[5]|b[6]|b[7] != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// snapshotImage hashes the disk as it is now.
func snapshotImage(d diskData, capacity int64) (*image, error) {
	img := &image{capacity: capacity}
	if d.opaque != "" {
		return opaqueImage(d.opaque, capacity)
	}
	candidates, err := d.candidateBlocks(capacity)
	if err != nil {
		return nil, err
	}
	r := &reader{d: d, files: map[string]*os.File{}}
	defer r.close()
	const run = 16 // read up to 1 MiB of consecutive blocks at once
	buf := make([]byte, run*blockSize)
	for i := 0; i < len(candidates); {
		j := i + 1
		for j < len(candidates) && j-i < run && candidates[j] == candidates[j-1]+1 {
			j++
		}
		chunk := buf[:(j-i)*blockSize]
		if err := r.readAt(chunk, candidates[i]*blockSize); err != nil {
			return nil, err
		}
		for k := i; k < j; k++ {
			block := chunk[(k-i)*blockSize : (k-i+1)*blockSize]
			if !isZero(block) {
				img.blocks = append(img.blocks, blockHash{candidates[k], maphash.Bytes(seed, block)})
			}
		}
		i = j
	}
	return img, nil
}

func opaqueImage(path string, capacity int64) (*image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var h maphash.Hash
	h.SetSeed(seed)
	n, err := io.Copy(&h, f)
	if err != nil {
		return nil, err
	}
	return &image{capacity: capacity, opaque: true, fileSum: h.Sum64(), fileSize: n}, nil
}

// area is a changed byte range of the disk.
type area struct{ start, length int64 }

// allocated lists the areas of img holding nonzero data (whole blocks, merged, clipped to the capacity).
func allocated(img *image) []area {
	if img.opaque {
		if img.fileSize == 0 {
			return nil
		}
		return []area{{0, img.capacity}}
	}
	idx := make([]int64, len(img.blocks))
	for i, b := range img.blocks {
		idx[i] = b.index
	}
	return merge(idx, img.capacity)
}

// changed lists the areas whose blocks differ between from and to.
func changed(from, to *image) []area {
	if from.opaque || to.opaque {
		if from.opaque && to.opaque && from.fileSum == to.fileSum && from.fileSize == to.fileSize {
			return nil
		}
		return []area{{0, to.capacity}}
	}
	var idx []int64
	a, b := from.blocks, to.blocks
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || (len(a) > 0 && a[0].index < b[0].index):
			idx = append(idx, a[0].index) // became zero
			a = a[1:]
		case len(a) == 0 || b[0].index < a[0].index:
			idx = append(idx, b[0].index) // became nonzero
			b = b[1:]
		default:
			if a[0].sum != b[0].sum {
				idx = append(idx, a[0].index)
			}
			a, b = a[1:], b[1:]
		}
	}
	return merge(idx, to.capacity)
}

// merge turns sorted block indexes into byte areas, joining neighbours.
func merge(idx []int64, capacity int64) []area {
	var out []area
	for _, i := range idx {
		start := i * blockSize
		if start >= capacity {
			break
		}
		end := start + blockSize
		if end > capacity {
			end = capacity
		}
		if n := len(out); n > 0 && out[n-1].start+out[n-1].length == start {
			out[n-1].length = end - out[n-1].start
			continue
		}
		out = append(out, area{start, end - start})
	}
	return out
}

// fileStamp identifies one state of a file: any write through another path changes it (mtime in ns).
type fileStamp struct {
	dev, ino    uint64
	size, mtime int64
}

// stamps returns the stamps of the disk's files in order, or nil when one cannot be read.
func (d diskData) stamps() []fileStamp {
	var files []string
	if d.opaque != "" {
		files = []string{d.opaque}
	}
	for _, e := range d.extents {
		if e.file != "" {
			files = append(files, e.file)
		}
	}
	out := make([]fileStamp, 0, len(files))
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil
		}
		sys, ok := st.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		out = append(out, fileStamp{uint64(sys.Dev), sys.Ino, st.Size(), st.ModTime().UnixNano()})
	}
	return out
}

func sameStamps(a, b []fileStamp) bool {
	if a == nil || b == nil || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// writeAt writes data into the disk at off through its extents (the guest's write).
func (d diskData) writeAt(data []byte, off int64) error {
	if d.opaque != "" {
		return fmt.Errorf("%s: the simulator cannot write into this disk layout", d.opaque)
	}
	end := off + int64(len(data))
	for _, e := range d.extents {
		lo, hi := off, end
		if lo < e.diskOff {
			lo = e.diskOff
		}
		if hi > e.diskOff+e.length {
			hi = e.diskOff + e.length
		}
		if lo >= hi {
			continue
		}
		if e.file == "" {
			return fmt.Errorf("write into a ZERO extent at %d", lo)
		}
		f, err := os.OpenFile(e.file, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteAt(data[lo-off:hi-off], e.fileOff+lo-e.diskOff)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// rehash returns old with the given blocks (sorted, unique) hashed anew from the disk's data.
func rehash(d diskData, old *image, dirty []int64) (*image, error) {
	r := &reader{d: d, files: map[string]*os.File{}}
	defer r.close()
	fresh := make([]blockHash, 0, len(dirty))
	buf := make([]byte, blockSize)
	for _, b := range dirty {
		if b*blockSize >= old.capacity {
			break
		}
		if err := r.readAt(buf, b*blockSize); err != nil {
			return nil, err
		}
		if !isZero(buf) {
			fresh = append(fresh, blockHash{b, maphash.Bytes(seed, buf)})
		}
	}
	isDirty := make(map[int64]bool, len(dirty))
	for _, b := range dirty {
		isDirty[b] = true
	}
	img := &image{capacity: old.capacity, blocks: make([]blockHash, 0, len(old.blocks)+len(fresh))}
	a, f := old.blocks, fresh
	for len(a) > 0 || len(f) > 0 {
		switch {
		case len(a) > 0 && isDirty[a[0].index]:
			a = a[1:] // replaced by its fresh hash, if still nonzero
		case len(f) == 0 || (len(a) > 0 && a[0].index < f[0].index):
			img.blocks = append(img.blocks, a[0])
			a = a[1:]
		default:
			img.blocks = append(img.blocks, f[0])
			f = f[1:]
		}
	}
	return img, nil
}
