// Command vcsim starts govmomi's vCenter simulator for hvmigrate's tests and benchmarks.
//
// Unlike the stock simulator, its PropertyCollector pages like vCenter does: RetrievePropertiesEx honours
// RetrieveOptions.maxObjects and hands out a token for ContinueRetrievePropertiesEx /
// CancelRetrievePropertiesEx (an unknown or cancelled token is an InvalidArgument fault).
//
// Changed block tracking (cbt.go, disk.go): VirtualMachine.QueryChangedDiskAreas(snapshot, deviceKey,
// startOffset, changeId) answers like vSphere from block hashes (64 KiB) taken at each CreateSnapshot_Task
// while config.changeTrackingEnabled is true (ReconfigVM_Task sets it; tracking becomes active at the next
// snapshot). The snapshot's config.hardware.device[].backing.changeId carries "52 xx .. xx-xx .. xx/N".
// changeId "*" lists the nonzero blocks; an earlier snapshot's changeId the blocks that differ since. One
// answer covers at most -cbt-page bytes (default 256 MiB): loop on startOffset += length up to the capacity.
// Faults: FileFault (tracking off or not active, snapshot without changeId, changeId from before a reset),
// InvalidArgument (malformed/unknown changeId, deviceKey, startOffset, snapshot of another VM).
// Disk data: the flat file a VMFS/FLAT descriptor names (what tests create), or the "-flat.vmdk" next to an
// empty descriptor; other layouts (hosted sparse) are tracked whole (any change = the whole capacity).
// Tests play the guest by writing into the flat file, never while a snapshot a client reads exists: the
// client reads the live file and the snapshot froze only hashes.
// Guest writes through the guest-write hook let the next snapshot rehash only the blocks written (a 2 GiB
// disk: ~15 ms instead of ~0.5 s); a reverted snapshot resets tracking (earlier changeIds: FileFault).
// Snapshot tasks (RemoveSnapshot_Task, ...) name the VM as their entity, as vSphere does.
//
// Test hooks over HTTP on the same port (hooks.go), no login:
//
//	GET  /hvmigrate-test/stats        bytes served by GET /folder/... per datastore file (Range honoured, only
//	                                  the bytes sent count): {"files": {"[ds] p": {"bytes","requests","ranges"}}}
//	POST /hvmigrate-test/stats/reset  zero them
//	POST /hvmigrate-test/cbt-reset?vm=ID|NAME[&disk=KEY][&mode=fault|star]  forget a disk's tracking state
//	POST /hvmigrate-test/guest-write?vm=ID|NAME&disk=KEY&offset=N  write the body into the disk
//
// It prints one JSON line on stdout once the server is listening:
// {"url": "https://127.0.0.1:PORT/sdk", "datastores": {"LocalDS_0": "/tmp/..."}}
// and serves until stdin is closed or it receives SIGINT/SIGTERM; it then removes the datastore
// directories it created. Closing stdin ties its life to the parent's, so a killed test run leaves
// no simulator behind.
//
// Build: tests/fixtures/vcsim.py runs `go build .` in this directory with GO111MODULE=off and
// GOPATH=/usr/share/gocode (Debian's golang-github-vmware-govmomi-dev), offline.
package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// pending is what a continuation token stands for: the objects not yet returned and the page size asked.
type pending struct {
	rest []types.ObjectContent
	max  int32
}

// pages holds the pending results by token (shared by the per-session collectors).
var pages = struct {
	sync.Mutex
	next int
	rest map[string]pending
}{rest: map[string]pending{}}

// pagingCollector is the simulator's PropertyCollector with vCenter's paging. It embeds by value: the
// simulator makes per-session copies with reflect.New, which must work from the zero value.
type pagingCollector struct {
	simulator.PropertyCollector
}

func page(objects []types.ObjectContent, max int32) *types.RetrieveResult {
	res := &types.RetrieveResult{Objects: objects}
	if max > 0 && len(objects) > int(max) {
		pages.Lock()
		pages.next++
		res.Token = fmt.Sprintf("page-%d", pages.next)
		pages.rest[res.Token] = pending{objects[max:], max}
		pages.Unlock()
		res.Objects = objects[:max]
	}
	return res
}

func (pc *pagingCollector) RetrievePropertiesEx(ctx *simulator.Context, r *types.RetrievePropertiesEx) soap.HasFault {
	body := pc.PropertyCollector.RetrievePropertiesEx(ctx, r).(*methods.RetrievePropertiesExBody)
	if body.Fault_ == nil && body.Res != nil && body.Res.Returnval != nil {
		body.Res.Returnval = page(body.Res.Returnval.Objects, r.Options.MaxObjects)
	}
	return body
}

func takeToken(token string) (pending, bool) {
	pages.Lock()
	defer pages.Unlock()
	rest, ok := pages.rest[token]
	delete(pages.rest, token)
	return rest, ok
}

func (pc *pagingCollector) ContinueRetrievePropertiesEx(r *types.ContinueRetrievePropertiesEx) soap.HasFault {
	body := &methods.ContinueRetrievePropertiesExBody{}
	left, ok := takeToken(r.Token)
	if !ok {
		body.Fault_ = simulator.Fault("unknown token", &types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	body.Res = &types.ContinueRetrievePropertiesExResponse{Returnval: *page(left.rest, left.max)}
	return body
}

func (pc *pagingCollector) CancelRetrievePropertiesEx(r *types.CancelRetrievePropertiesEx) soap.HasFault {
	body := &methods.CancelRetrievePropertiesExBody{}
	if _, ok := takeToken(r.Token); !ok {
		body.Fault_ = simulator.Fault("unknown token", &types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	body.Res = &types.CancelRetrievePropertiesExResponse{}
	return body
}

func main() {
	model := simulator.VPX()
	for _, arg := range os.Args[1:] {
		if arg == "-esx" || arg == "--esx" {
			model = simulator.ESX() // a standalone ESXi host instead of a vCenter
		}
	}
	flag.IntVar(&model.Datacenter, "dc", model.Datacenter, "datacenters")
	flag.IntVar(&model.Host, "host", model.Host, "standalone hosts per datacenter")
	flag.IntVar(&model.Cluster, "cluster", model.Cluster, "clusters per datacenter")
	flag.IntVar(&model.ClusterHost, "cluster-host", model.ClusterHost, "hosts per cluster")
	flag.IntVar(&model.Machine, "vm", model.Machine, "VMs per standalone host and per cluster")
	flag.IntVar(&model.Portgroup, "pg", model.Portgroup, "distributed port groups per datacenter")
	flag.IntVar(&model.Folder, "folder", model.Folder, "folders per datacenter")
	flag.Bool("esx", false, "simulate a standalone ESXi host (ha-datacenter) instead of vCenter")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	user := flag.String("user", "user", "login user")
	pass := flag.String("pass", "pass", "login password")
	flag.Int64Var(&pageBytes, "cbt-page", pageBytes, "bytes one QueryChangedDiskAreas answer covers at most")
	flag.Parse()

	if err := model.Create(); err != nil {
		log.Fatal(err)
	}
	collector := &pagingCollector{}
	collector.Self = simulator.Map.Get(vim25.ServiceInstance).(*simulator.ServiceInstance).Content.PropertyCollector
	simulator.Map.Put(collector)

	model.Service.TLS = new(tls.Config)
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, *pass)}
	stores := map[string]string{}
	for _, obj := range simulator.Map.All("Datastore") {
		ds := obj.(*simulator.Datastore)
		stores[ds.Name] = ds.Info.GetDatastoreInfo().Url
	}
	datastoreDirs = stores
	installCbt()

	server := model.Service.NewServer()
	// The server accepts connections already, but no client knows its URL before the line below: the
	// handler is swapped before any request can arrive.
	server.Config.Handler = hooked(server.Config.Handler)
	u := *server.URL
	u.User = nil
	out, _ := json.Marshal(map[string]interface{}{"url": u.String(), "datastores": stores})
	os.Stdout.Write(append(out, '\n'))

	done := make(chan os.Signal, 1)
	signal.Notify(done, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		done <- syscall.SIGTERM
	}()
	<-done
	server.Close()
	model.Remove()
}
