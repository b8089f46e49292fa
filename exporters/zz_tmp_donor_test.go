package exporters

import (
	"os"
	"testing"
)

func TestTmpDonorOut(t *testing.T) {
	p := os.Getenv("RMF_DONOR_OUT")
	if p == "" {
		t.Skip()
	}
	f, _ := os.Create(p)
	defer f.Close()
	if err := WriteReportXLSX(f, donorSample(t)); err != nil {
		t.Fatal(err)
	}
}
