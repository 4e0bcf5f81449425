package main

// Changed block tracking (CBT) for the simulator: VirtualMachine.QueryChangedDiskAreas and the changeIds
// of snapshot disks.
//
// Model (what vSphere does, reduced to what a client can observe):
//   - config.changeTrackingEnabled is set by ReconfigVM_Task at once (the stock simulator applies it), but
//     tracking becomes active only at the VM's next snapshot, like vSphere's next stun/unstun cycle; turning
//     it off drops the tracking state at the next snapshot.
//   - CreateSnapshot_Task, while tracking is active, hashes every 64 KiB block of each virtual disk's data
//     (see disk.go) and gives the snapshot's disk backing a changeId "52 xx .. xx-xx .. xx/N": the disk's
//     tracking id and a sequence number. The id is in the snapshot's config.hardware.device[].backing.changeId
//     (the VM's own devices are not changed). A snapshot taken while tracking is inactive has no changeId.
//   - The snapshot's data is the disk file as it was when the snapshot was taken: tests must not write into
//     a disk while a snapshot they read from exists (vSphere would send those writes to a delta file).
//   - QueryChangedDiskAreas(snapshot, deviceKey, startOffset, changeId) answers for the snapshot's disk:
//     changeId "*" = the areas holding nonzero data; another changeId = the blocks that differ between the
//     snapshot that changeId was given to and this snapshot. The answer covers at most pageBytes from
//     startOffset (DiskChangeInfo.length); the client loops on startOffset = startOffset+length up to the
//     capacity. Areas are whole 64 KiB blocks, adjacent ones merged, clipped to the page and the capacity.
//   - Faults: FileFault when tracking is off (config or not yet active), when the snapshot's disk has no
//     changeId, or when changeId belongs to an earlier tracking epoch (after a reset: see resetDisk);
//     InvalidArgument for a malformed or unknown changeId (invalidProperty "changeId"), a device key that
//     is not a disk of the snapshot ("deviceKey"), a startOffset past the capacity ("startOffset") or a
//     snapshot of another VM ("snapshot"). Without a snapshot, a powered-off VM's disks are read as they are
//     now; a powered-on one is an InvalidPowerState fault, as in vSphere.

import (
	"crypto/rand"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// cbtType is the managed object type QueryChangedDiskAreas calls are redirected to (see hooks.go).
const cbtType = "HvmCbtVm"

// pageBytes caps the length one QueryChangedDiskAreas answer covers (-cbt-page).
var pageBytes int64 = 256 << 20

// diskKey names one virtual disk: the VM's moref id and the device key.
type diskKey struct {
	vm  string
	dev int32
}

// diskTrack is the tracking state of one disk.
type diskTrack struct {
	id        string            // "52 xx ... xx-xx ... xx": changes at every reset
	seq       int               // the last sequence number handed out
	images    map[string]*image // by changeId, for the current id only
	nextStar  bool              // the next snapshot reports changeId "*" (test hook)
	resetNote string            // why the last reset happened (for the log)
}

// snapKey names one disk of one snapshot.
type snapKey struct {
	snap string
	dev  int32
}

// snapDisk is what a snapshot froze of one disk.
type snapDisk struct {
	img      *image
	changeId string
	path     string // datastore path of the disk, for faults
}

// hashCache is the last image hashed of a disk, the stamps of its files then, and the blocks written
// since through the guest-write hook: when the stamps still match, the next snapshot rehashes only those.
type hashCache struct {
	stamps []fileStamp
	img    *image
	dirty  map[int64]bool
}

var cbt = struct {
	sync.Mutex
	active map[string]bool // VM moref id -> tracking active
	disks  map[diskKey]*diskTrack
	snaps  map[snapKey]*snapDisk
	cache  map[diskKey]*hashCache
}{active: map[string]bool{}, disks: map[diskKey]*diskTrack{}, snaps: map[snapKey]*snapDisk{},
	cache: map[diskKey]*hashCache{}}

// datastoreDirs maps datastore names to their directories (filled at start-up).
var datastoreDirs = map[string]string{}

func newTrackId() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[0] = 0x52
	parts := make([]string, 16)
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02x", c)
	}
	return strings.Join(parts[:8], " ") + "-" + strings.Join(parts[8:], " ")
}

// localPath turns "[ds] dir/file.vmdk" into a path on local disk.
func localPath(name string) (string, error) {
	var p object.DatastorePath
	if !p.FromString(name) {
		return "", fmt.Errorf("not a datastore path: %q", name)
	}
	dir, ok := datastoreDirs[p.Datastore]
	if !ok {
		return "", fmt.Errorf("unknown datastore in %q", name)
	}
	return dir + "/" + p.Path, nil
}

func diskCapacity(d *types.VirtualDisk) int64 {
	if d.CapacityInBytes > 0 {
		return d.CapacityInBytes
	}
	return d.CapacityInKB * 1024
}

func diskFileName(d *types.VirtualDisk) string {
	if b, ok := d.Backing.(types.BaseVirtualDeviceFileBackingInfo); ok {
		return b.GetVirtualDeviceFileBackingInfo().FileName
	}
	return ""
}

// withChangeId returns a copy of the disk device whose backing carries changeId (the copy keeps the
// snapshot's view independent of the VM's device objects, which the simulator shares by pointer).
func withChangeId(d *types.VirtualDisk, changeId string) *types.VirtualDisk {
	c := *d
	switch b := d.Backing.(type) {
	case *types.VirtualDiskFlatVer2BackingInfo:
		nb := *b
		nb.ChangeId = changeId
		c.Backing = &nb
	case *types.VirtualDiskSparseVer2BackingInfo:
		nb := *b
		nb.ChangeId = changeId
		c.Backing = &nb
	case *types.VirtualDiskSeSparseBackingInfo:
		nb := *b
		nb.ChangeId = changeId
		c.Backing = &nb
	case *types.VirtualDiskRawDiskMappingVer1BackingInfo:
		nb := *b
		nb.ChangeId = changeId
		c.Backing = &nb
	}
	return &c
}

// diskDataOf resolves a disk device's data files.
func diskDataOf(d *types.VirtualDisk) (diskData, string, error) {
	name := diskFileName(d)
	p, err := localPath(name)
	if err != nil {
		return diskData{}, name, err
	}
	data, err := resolveDisk(p, diskCapacity(d))
	return data, name, err
}

// imageOf hashes the current data of a VM's disk (called with cbt locked). When the disk's files are as
// the cache left them, only the blocks written through the guest-write hook since are read again.
func imageOf(vm string, d *types.VirtualDisk) (*image, string, error) {
	data, name, err := diskDataOf(d)
	if err != nil {
		return nil, name, err
	}
	key := diskKey{vm, d.Key}
	stamps := data.stamps()
	c := cbt.cache[key]
	var img *image
	if c != nil && sameStamps(c.stamps, stamps) && c.img.capacity == diskCapacity(d) && !c.img.opaque {
		dirty := make([]int64, 0, len(c.dirty))
		for b := range c.dirty {
			dirty = append(dirty, b)
		}
		sort.Slice(dirty, func(i, j int) bool { return dirty[i] < dirty[j] })
		img, err = rehash(data, c.img, dirty)
	} else {
		img, err = snapshotImage(data, diskCapacity(d))
	}
	if err != nil {
		delete(cbt.cache, key)
		return nil, name, err
	}
	if stamps != nil {
		cbt.cache[key] = &hashCache{stamps: stamps, img: img, dirty: map[int64]bool{}}
	}
	return img, name, nil
}

// guestWrite writes data at off into a VM's disk, as its guest would, and notes the blocks it changed.
func guestWrite(vm *simulator.VirtualMachine, dev int32, off int64, data []byte) error {
	var disk *types.VirtualDisk
	simulator.Map.WithLock(vm, func() {
		for _, d := range vm.Config.Hardware.Device {
			if x, ok := d.(*types.VirtualDisk); ok && x.Key == dev {
				c := *x
				disk = &c
			}
		}
	})
	if disk == nil {
		return fmt.Errorf("%s has no virtual disk with key %d", vm.Self.Value, dev)
	}
	if off < 0 || off+int64(len(data)) > diskCapacity(disk) {
		return fmt.Errorf("a write of %d bytes at %d is outside the %d-byte disk", len(data), off, diskCapacity(disk))
	}
	dd, _, err := diskDataOf(disk)
	if err != nil {
		return err
	}
	cbt.Lock()
	defer cbt.Unlock()
	key := diskKey{vm.Self.Value, dev}
	before := dd.stamps()
	err = dd.writeAt(data, off)
	c := cbt.cache[key]
	if err != nil || c == nil || !sameStamps(c.stamps, before) {
		delete(cbt.cache, key) // written behind the cache's back: the next snapshot reads everything
		return err
	}
	for b := off / blockSize; b*blockSize < off+int64(len(data)); b++ {
		c.dirty[b] = true
	}
	// A write through another path in the same clock tick would keep the kernel's coarse mtime: give the
	// files an mtime ending in 777 ns, which a later write is all but certain to replace.
	now := time.Now()
	mark := time.Unix(now.Unix(), int64(now.Nanosecond()/1000*1000+777))
	for _, e := range dd.extents {
		if e.file != "" {
			if err := os.Chtimes(e.file, now, mark); err != nil {
				delete(cbt.cache, key)
				return nil
			}
		}
	}
	c.stamps = dd.stamps()
	return nil
}

// onSnapshot runs when the simulator registers a new snapshot (inside CreateSnapshot_Task, with the VM
// locked): it activates or drops tracking, hashes the disks and sets the snapshot disks' changeIds.
func onSnapshot(snap *simulator.VirtualMachineSnapshot) {
	vm, ok := simulator.Map.Get(snap.Vm).(*simulator.VirtualMachine)
	if !ok || snap.Config.Hardware.Device == nil {
		return
	}
	enabled := vm.Config.ChangeTrackingEnabled != nil && *vm.Config.ChangeTrackingEnabled
	cbt.Lock()
	defer cbt.Unlock()
	cbt.active[vm.Self.Value] = enabled
	devices := make([]types.BaseVirtualDevice, len(snap.Config.Hardware.Device))
	copy(devices, snap.Config.Hardware.Device)
	for i, dev := range devices {
		disk, ok := dev.(*types.VirtualDisk)
		if !ok {
			continue
		}
		key := diskKey{vm.Self.Value, disk.Key}
		sd := &snapDisk{path: diskFileName(disk)}
		if !enabled {
			delete(cbt.disks, key) // nothing is hashed for a VM without tracking
			cbt.snaps[snapKey{snap.Self.Value, disk.Key}] = sd
			continue
		}
		img, _, err := imageOf(vm.Self.Value, disk)
		if err != nil {
			log.Printf("cbt: %s disk %d: %v", vm.Self.Value, disk.Key, err)
			img = nil
		}
		sd.img = img
		if img != nil {
			t := cbt.disks[key]
			if t == nil {
				t = &diskTrack{id: newTrackId(), images: map[string]*image{}}
				cbt.disks[key] = t
			}
			t.seq++
			if t.nextStar {
				t.nextStar = false
				sd.changeId = "*"
			} else {
				sd.changeId = fmt.Sprintf("%s/%d", t.id, t.seq)
				t.images[sd.changeId] = img
			}
		}
		cbt.snaps[snapKey{snap.Self.Value, disk.Key}] = sd
		devices[i] = withChangeId(disk, sd.changeId)
	}
	snap.Config.Hardware.Device = devices
}

// onRemove forgets what a removed snapshot froze (its changeIds stay valid, as in vSphere).
func onRemove(ref types.ManagedObjectReference) {
	if ref.Type != "VirtualMachineSnapshot" {
		return
	}
	cbt.Lock()
	defer cbt.Unlock()
	for k := range cbt.snaps {
		if k.snap == ref.Value {
			delete(cbt.snaps, k)
		}
	}
}

// resetDisk forgets the tracking state of a VM's disk (dev 0: all its disks), like vSphere after a
// storage vMotion, a snapshot revert or a crash: every changeId handed out before fails with FileFault. With star, the next
// snapshot's changeId is "*" (tracking restarts at the snapshot after it). Returns the disks reset.
func resetDisk(vm string, dev int32, star bool) int {
	cbt.Lock()
	defer cbt.Unlock()
	n := 0
	for k, t := range cbt.disks {
		if k.vm != vm || (dev != 0 && k.dev != dev) {
			continue
		}
		t.id = newTrackId()
		t.seq = 0
		t.images = map[string]*image{}
		t.nextStar = star
		n++
	}
	return n
}

// cbtVM receives the QueryChangedDiskAreas calls of one VM (hooks.go rewrites their _this to it).
type cbtVM struct {
	Self types.ManagedObjectReference
}

func (c *cbtVM) Reference() types.ManagedObjectReference { return c.Self }

func fileFault(path, msg string) *soap.Fault {
	return simulator.Fault(msg, &types.FileFault{File: path})
}

func invalidArgument(prop, msg string) *soap.Fault {
	return simulator.Fault(msg, &types.InvalidArgument{InvalidProperty: prop})
}

// QueryChangedDiskAreas implements VirtualMachine.QueryChangedDiskAreas (see the file comment).
func (c *cbtVM) QueryChangedDiskAreas(ctx *simulator.Context, req *types.QueryChangedDiskAreas) soap.HasFault {
	body := &methods.QueryChangedDiskAreasBody{}
	vmRef := types.ManagedObjectReference{Type: "VirtualMachine", Value: c.Self.Value}
	vm, ok := simulator.Map.Get(vmRef).(*simulator.VirtualMachine)
	if !ok {
		body.Fault_ = simulator.Fault("", &types.ManagedObjectNotFound{Obj: vmRef})
		return body
	}
	var enabled, poweredOn bool
	var liveDisk *types.VirtualDisk
	var snapOk bool
	simulator.Map.WithLock(vm, func() {
		enabled = vm.Config.ChangeTrackingEnabled != nil && *vm.Config.ChangeTrackingEnabled
		poweredOn = vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn
		if req.Snapshot == nil {
			for _, d := range vm.Config.Hardware.Device {
				if disk, ok := d.(*types.VirtualDisk); ok && disk.Key == req.DeviceKey {
					liveDisk = disk
				}
			}
		}
	})
	if req.Snapshot != nil {
		if s, ok := simulator.Map.Get(*req.Snapshot).(*simulator.VirtualMachineSnapshot); ok && s.Vm == vmRef {
			snapOk = true
		}
	}

	cbt.Lock()
	defer cbt.Unlock()
	var sd *snapDisk
	switch {
	case req.Snapshot != nil && !snapOk:
		body.Fault_ = invalidArgument("snapshot", "the snapshot is not a snapshot of this virtual machine")
		return body
	case req.Snapshot != nil:
		sd = cbt.snaps[snapKey{req.Snapshot.Value, req.DeviceKey}]
		if sd == nil {
			body.Fault_ = invalidArgument("deviceKey", fmt.Sprintf("no virtual disk with key %d in the snapshot", req.DeviceKey))
			return body
		}
	case poweredOn:
		body.Fault_ = simulator.Fault("", &types.InvalidPowerState{
			RequestedState: types.VirtualMachinePowerStatePoweredOff, ExistingState: vm.Runtime.PowerState})
		return body
	case liveDisk == nil:
		body.Fault_ = invalidArgument("deviceKey", fmt.Sprintf("no virtual disk with key %d", req.DeviceKey))
		return body
	default:
		img, name, err := imageOf(vmRef.Value, liveDisk)
		if err != nil {
			body.Fault_ = fileFault(name, err.Error())
			return body
		}
		sd = &snapDisk{img: img, path: name}
		if t := cbt.disks[diskKey{vmRef.Value, req.DeviceKey}]; t != nil && cbt.active[vmRef.Value] {
			sd.changeId = fmt.Sprintf("%s/%d", t.id, t.seq+1) // a changeId for "now", never handed out
		}
	}
	track := cbt.disks[diskKey{vmRef.Value, req.DeviceKey}]
	switch {
	case sd.img == nil:
		body.Fault_ = fileFault(sd.path, "Error caused by file "+sd.path)
		return body
	case !enabled || !cbt.active[vmRef.Value] || track == nil || sd.changeId == "":
		body.Fault_ = fileFault(sd.path, "Change tracking is not active on the disk "+sd.path)
		return body
	case req.StartOffset < 0 || req.StartOffset >= sd.img.capacity:
		body.Fault_ = invalidArgument("startOffset", fmt.Sprintf("startOffset %d is not inside the disk (%d bytes)",
			req.StartOffset, sd.img.capacity))
		return body
	}
	var areas []area
	if req.ChangeId == "*" {
		areas = allocated(sd.img)
	} else {
		id, _, ok := splitChangeId(req.ChangeId)
		if !ok {
			body.Fault_ = invalidArgument("changeId", "A specified parameter was not correct: changeId")
			return body
		}
		if id != track.id || !strings.HasPrefix(sd.changeId, id) {
			body.Fault_ = fileFault(sd.path, "Error caused by file "+sd.path+": the change tracking data was reset")
			return body
		}
		base := track.images[req.ChangeId]
		if base == nil {
			body.Fault_ = invalidArgument("changeId", "A specified parameter was not correct: changeId")
			return body
		}
		areas = changed(base, sd.img)
	}
	end := req.StartOffset + pageBytes
	if end > sd.img.capacity {
		end = sd.img.capacity
	}
	info := types.DiskChangeInfo{StartOffset: req.StartOffset, Length: end - req.StartOffset}
	for _, a := range areas {
		lo, hi := a.start, a.start+a.length
		if lo < req.StartOffset {
			lo = req.StartOffset
		}
		if hi > end {
			hi = end
		}
		if lo < hi {
			info.ChangedArea = append(info.ChangedArea, types.DiskChangeExtent{Start: lo, Length: hi - lo})
		}
	}
	body.Res = &types.QueryChangedDiskAreasResponse{Returnval: info}
	return body
}

// splitChangeId splits "52 .. xx/7" into its id and sequence number.
func splitChangeId(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, '/')
	if i <= 0 {
		return "", 0, false
	}
	var seq int
	if _, err := fmt.Sscanf(s[i+1:], "%d", &seq); err != nil {
		return "", 0, false
	}
	return s[:i], seq, true
}

// registry hooks: the simulator calls these for every object it registers, updates or removes.
type cbtHooks struct{}

func (cbtHooks) Reference() types.ManagedObjectReference {
	return types.ManagedObjectReference{Type: "HvmCbtHooks", Value: "hooks"}
}

func (cbtHooks) PutObject(obj mo.Reference) {
	switch o := obj.(type) {
	case *simulator.VirtualMachineSnapshot:
		onSnapshot(o)
	case *simulator.VirtualMachine:
		simulator.Map.Put(&cbtVM{Self: types.ManagedObjectReference{Type: cbtType, Value: o.Self.Value}})
	case *simulator.Task:
		// vSphere names the VM as the entity of a snapshot's tasks (RemoveSnapshot_Task, ...); the stock
		// simulator names the snapshot, which is no ManagedEntity and breaks clients reading task.info.
		if e := o.Info.Entity; e != nil && e.Type == "VirtualMachineSnapshot" {
			if snap, ok := simulator.Map.Get(*e).(*simulator.VirtualMachineSnapshot); ok {
				vm := snap.Vm
				o.Info.Entity = &vm
				if v, ok := simulator.Map.Get(vm).(*simulator.VirtualMachine); ok {
					o.Info.EntityName = v.Name
				}
			}
		}
		// A revert puts the disks back to an older state (the simulator does not restore the data, but a
		// client must not trust changes counted across it): the tracking of every disk is reset.
		switch o.Info.DescriptionId {
		case "VirtualMachineSnapshot.revertToSnapshot", "VirtualMachine.revertSnapshot":
			if o.Info.Entity != nil {
				resetDisk(o.Info.Entity.Value, 0, false)
			}
		}
	}
}

func (cbtHooks) UpdateObject(mo.Reference, []types.PropertyChange) {}

func (cbtHooks) RemoveObject(ref types.ManagedObjectReference) { onRemove(ref) }

// installCbt registers the hooks and a QueryChangedDiskAreas receiver for every VM the model created.
func installCbt() {
	for _, obj := range simulator.Map.All("VirtualMachine") {
		vm := obj.(*simulator.VirtualMachine)
		simulator.Map.Put(&cbtVM{Self: types.ManagedObjectReference{Type: cbtType, Value: vm.Self.Value}})
	}
	simulator.Map.AddHandler(cbtHooks{})
}
