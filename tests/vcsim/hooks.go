package main

// The HTTP layer in front of the simulator's own handler:
//   - SOAP: a QueryChangedDiskAreas request's _this (a VirtualMachine) is redirected to the VM's cbtVM
//     object (cbt.go): the simulator dispatches a method by reflection on the object a reference names and
//     its VirtualMachine type cannot be given new methods from outside its package. Session checks, fault
//     and response encoding stay the simulator's.
//   - /folder GETs (datastore file downloads; http.FileServer honours Range) are counted per file.
//   - /hvmigrate-test/... : hooks for tests (see testHandler).

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
)

// fileStats counts what was served of one datastore file.
type fileStats struct {
	Bytes    int64 `json:"bytes"`    // body bytes sent
	Requests int64 `json:"requests"` // GET requests
	Ranges   int64 `json:"ranges"`   // of which with a Range header
}

var stats = struct {
	sync.Mutex
	files map[string]*fileStats
}{files: map[string]*fileStats{}}

// countingWriter counts the body bytes written to an http.ResponseWriter.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

// ReadFrom keeps the sendfile path of http.FileServer while counting.
func (w *countingWriter) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err := rf.ReadFrom(r)
		w.n += n
		return n, err
	}
	n, err := io.Copy(struct{ io.Writer }{w.ResponseWriter}, r)
	w.n += n
	return n, err
}

// folderKey names a /folder URL's file as a datastore path: "[LocalDS_0] vm/vm-flat.vmdk".
func folderKey(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, "/folder/")
	ds := r.URL.Query().Get("dsName")
	if ds == "" && len(datastoreDirs) == 1 { // the simulator serves its only datastore by default
		for name := range datastoreDirs {
			ds = name
		}
	}
	return "[" + ds + "] " + p
}

var (
	// qcdaTag is the method element of a QueryChangedDiskAreas request (with or without a prefix); the
	// first VirtualMachine reference after it is its _this.
	qcdaTag = regexp.MustCompile(`<([A-Za-z0-9_]+:)?QueryChangedDiskAreas[\s>]`)
	thisVM  = []byte(`type="VirtualMachine"`)
)

// hooked wraps the simulator's handler.
func hooked(inner http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/hvmigrate-test/"):
			testHandler(w, r)
		case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/sdk"):
			body, err := io.ReadAll(r.Body)
			_ = r.Body.Close()
			if err != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			if loc := qcdaTag.FindIndex(body); loc != nil {
				i := loc[1]
				if j := bytes.Index(body[i:], thisVM); j >= 0 {
					j += i
					body = append(append(append([]byte{}, body[:j]...), `type="`+cbtType+`"`...),
						body[j+len(thisVM):]...)
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			inner.ServeHTTP(w, r)
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/folder/"):
			key := folderKey(r)
			cw := &countingWriter{ResponseWriter: w}
			inner.ServeHTTP(cw, r)
			stats.Lock()
			s := stats.files[key]
			if s == nil {
				s = &fileStats{}
				stats.files[key] = s
			}
			s.Bytes += cw.n
			s.Requests++
			if r.Header.Get("Range") != "" {
				s.Ranges++
			}
			stats.Unlock()
		default:
			inner.ServeHTTP(w, r)
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// findVM finds a VM by moref id ("vm-42") or name.
func findVM(id string) *simulator.VirtualMachine {
	for _, obj := range simulator.Map.All("VirtualMachine") {
		vm := obj.(*simulator.VirtualMachine)
		if vm.Self.Value == id || vm.Name == id {
			return vm
		}
	}
	return nil
}

// testHandler serves the test hooks (no authentication: the simulator listens on loopback for tests):
//
//	GET  /hvmigrate-test/stats        {"files": {"[ds] path": {"bytes", "requests", "ranges"}}, "total_bytes"}
//	POST /hvmigrate-test/stats/reset  zero the counters
//	POST /hvmigrate-test/cbt-reset?vm=ID|NAME[&disk=KEY][&mode=fault|star]
//	     forget a disk's tracking state (all disks without disk=): every earlier changeId now fails with
//	     FileFault; mode=star also makes the next snapshot's changeId "*". Answers {"reset": disks}.
//	POST /hvmigrate-test/guest-write?vm=ID|NAME&disk=KEY&offset=N  (body: the bytes)
//	     write into the disk's data as its guest would; the next snapshot then rehashes only the blocks
//	     written this way (a file written otherwise is read whole). Answers {"written": n}.
func testHandler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch r.URL.Path {
	case "/hvmigrate-test/stats":
		stats.Lock()
		out := map[string]fileStats{}
		var total int64
		for k, v := range stats.files {
			out[k] = *v
			total += v.Bytes
		}
		stats.Unlock()
		writeJSON(w, http.StatusOK, map[string]interface{}{"files": out, "total_bytes": total})
	case "/hvmigrate-test/stats/reset":
		stats.Lock()
		stats.files = map[string]*fileStats{}
		stats.Unlock()
		writeJSON(w, http.StatusOK, map[string]interface{}{})
	case "/hvmigrate-test/cbt-reset":
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		vm := findVM(q.Get("vm"))
		if vm == nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no VM " + q.Get("vm")})
			return
		}
		var dev int64
		if s := q.Get("disk"); s != "" {
			var err error
			if dev, err = strconv.ParseInt(s, 10, 32); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "disk must be a device key"})
				return
			}
		}
		mode := q.Get("mode")
		if mode != "" && mode != "fault" && mode != "star" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "mode must be fault or star"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"reset": resetDisk(vm.Self.Value, int32(dev), mode == "star")})
	case "/hvmigrate-test/guest-write":
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		vm := findVM(q.Get("vm"))
		dev, err1 := strconv.ParseInt(q.Get("disk"), 10, 32)
		off, err2 := strconv.ParseInt(q.Get("offset"), 10, 64)
		if vm == nil || err1 != nil || err2 != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "need vm, disk (device key) and offset"})
			return
		}
		data, err := io.ReadAll(r.Body)
		if err == nil {
			err = guestWrite(vm, int32(dev), off, data)
		}
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"written": len(data)})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown test hook " + r.URL.Path})
	}
}
