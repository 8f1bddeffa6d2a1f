// A tiny Go program for the tool's interop tests: it allocates in two functions and burns CPU in
// two others, under pprof labels, and writes a heap and a CPU profile with runtime/pprof, so the
// tests compare `dotnet pprof` with `go tool pprof` on profiles Go itself wrote.
//
// Usage: goprogram OUTDIR
package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

var keep [][]byte

//go:noinline
func allocSmall(n int) {
	for i := 0; i < n; i++ {
		keep = append(keep, make([]byte, 512))
	}
}

//go:noinline
func allocLarge(n int) {
	for i := 0; i < n; i++ {
		keep = append(keep, make([]byte, 64<<10))
	}
}

//go:noinline
func burnA(until time.Time) uint64 {
	var x uint64 = 1
	for time.Now().Before(until) {
		for i := 0; i < 10000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	return x
}

//go:noinline
func burnB(until time.Time) uint64 {
	var x uint64 = 7
	for time.Now().Before(until) {
		for i := 0; i < 10000; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
	}
	return x
}

func main() {
	dir := os.Args[1]
	runtime.MemProfileRate = 4096

	cpu, err := os.Create(filepath.Join(dir, "cpu.pb.gz"))
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		panic(err)
	}
	var sink uint64
	pprof.Do(context.Background(), pprof.Labels("phase", "warm"), func(context.Context) {
		sink += burnA(time.Now().Add(600 * time.Millisecond))
	})
	pprof.Do(context.Background(), pprof.Labels("phase", "hot"), func(context.Context) {
		sink += burnB(time.Now().Add(300 * time.Millisecond))
	})
	pprof.StopCPUProfile()
	cpu.Close()

	allocSmall(20000)
	allocLarge(300)
	runtime.GC()
	heap, err := os.Create(filepath.Join(dir, "heap.pb.gz"))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("heap").WriteTo(heap, 0); err != nil {
		panic(err)
	}
	heap.Close()
	if sink == 42 {
		println(len(keep))
	}
}
