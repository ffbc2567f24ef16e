// pstest-server runs the Pub/Sub fake that ships with Google's Go client (pstest) as a process
// of its own, so fake-gcs-server can publish object notifications to it and our Node source can
// pull them over the same gRPC API Google serves. The topics fake-gcs-server publishes to are
// created before the port is announced: it never creates them, and a publish to a missing topic
// is dropped with only a log line. Pub/Sub's API has no backlog count (Cloud Monitoring does
// that), so an optional loopback HTTP endpoint tells tests how many messages of a topic no
// subscriber has acknowledged yet: what "drained" means for a topic with one subscription.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
)

func main() {
	port := flag.Int("port", 8085, "loopback port to serve the Pub/Sub gRPC API on")
	topics := flag.String("topics", "", "comma-separated topics to create first (projects/P/topics/T)")
	admin := flag.Int("admin-port", 0, "loopback port for GET /unacked?topic=projects/P/topics/T (0: none)")
	flag.Parse()

	// pstest listens on all interfaces when given a bare port; NewServerWithAddress keeps it on
	// loopback, which is all a test needs and all this machine should expose.
	srv := pstest.NewServerWithAddress(fmt.Sprintf("127.0.0.1:%d", *port))
	defer srv.Close()

	for _, name := range strings.Split(*topics, ",") {
		if name == "" {
			continue
		}
		if _, err := srv.GServer.CreateTopic(context.Background(), &pubsubpb.Topic{Name: name}); err != nil {
			log.Fatalf("creating topic %s: %v", name, err)
		}
	}
	if *admin != 0 {
		listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *admin))
		if err != nil {
			log.Fatalf("admin port: %v", err)
		}
		mux := http.NewServeMux()
		mux.HandleFunc("GET /unacked", func(w http.ResponseWriter, r *http.Request) {
			topic := r.URL.Query().Get("topic")
			unacked := 0
			for _, m := range srv.Messages() {
				if m.Topic == topic && m.Acks == 0 {
					unacked++
				}
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"topic": topic, "unacked": unacked})
		})
		go func() { log.Fatal(http.Serve(listener, mux)) }()
	}
	// The start script waits for this line: from here on publishes and pulls are served.
	fmt.Printf("pstest serving on %s\n", srv.Addr)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}
