// Command vcsim starts govmomi's vCenter simulator for hvmigrate's tests and benchmarks.
//
// It prints one JSON line on stdout once the server is listening:
// {"url": "https://127.0.0.1:PORT/sdk", "datastores": {"LocalDS_0": "/tmp/..."}}
// and serves until stdin is closed or it receives SIGINT/SIGTERM; it then removes the datastore
// directories it created. Closing stdin ties its life to the parent's, so a killed test run leaves
// no simulator behind.
package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"io"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmware/govmomi/simulator"
)

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
	flag.Parse()

	if err := model.Create(); err != nil {
		log.Fatal(err)
	}
	model.Service.TLS = new(tls.Config)
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, *pass)}
	server := model.Service.NewServer()

	stores := map[string]string{}
	for _, obj := range simulator.Map.All("Datastore") {
		ds := obj.(*simulator.Datastore)
		stores[ds.Name] = ds.Info.GetDatastoreInfo().Url
	}
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
