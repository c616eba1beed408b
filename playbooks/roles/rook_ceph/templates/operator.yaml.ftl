<#-- rook v1.10.10's operator settings and Deployment (after deploy/examples/operator.yaml), with the images from
     the role's variables; settings not written here keep the operator's defaults. -->
apiVersion: v1
kind: ConfigMap
metadata:
  name: rook-ceph-operator-config
  namespace: rook-ceph
data:
  ROOK_LOG_LEVEL: "INFO"
  ROOK_CEPH_ALLOW_LOOP_DEVICES: "false"
  ROOK_CSI_ENABLE_RBD: "true"
  ROOK_CSI_ENABLE_CEPHFS: "false"
  ROOK_CSI_ENABLE_NFS: "false"
  ROOK_CSI_ENABLE_GRPC_METRICS: "false"
  CSI_ENABLE_ENCRYPTION: "false"
  CSI_PROVISIONER_REPLICAS: "2"
  CSI_ENABLE_RBD_SNAPSHOTTER: "true"
  CSI_RBD_FSGROUPPOLICY: "File"
  ROOK_CSI_ALLOW_UNSUPPORTED_VERSION: "false"
  CSI_PLUGIN_ENABLE_SELINUX_HOST_MOUNT: "false"
  ROOK_CSI_CEPH_IMAGE: "${rook_ceph_image_csi}"
  ROOK_CSI_REGISTRAR_IMAGE: "${rook_ceph_image_csi_sidecars}/csi-node-driver-registrar:${rook_ceph_csi_registrar_tag}"
  ROOK_CSI_RESIZER_IMAGE: "${rook_ceph_image_csi_sidecars}/csi-resizer:${rook_ceph_csi_resizer_tag}"
  ROOK_CSI_PROVISIONER_IMAGE: "${rook_ceph_image_csi_sidecars}/csi-provisioner:${rook_ceph_csi_provisioner_tag}"
  ROOK_CSI_SNAPSHOTTER_IMAGE: "${rook_ceph_image_csi_sidecars}/csi-snapshotter:${rook_ceph_csi_snapshotter_tag}"
  ROOK_CSI_ATTACHER_IMAGE: "${rook_ceph_image_csi_sidecars}/csi-attacher:${rook_ceph_csi_attacher_tag}"
  ROOK_CSI_IMAGE_PULL_POLICY: "${rook_ceph_image_pull_policy}"
  ROOK_ENABLE_DISCOVERY_DAEMON: "false"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: rook-ceph-operator
  namespace: rook-ceph
  labels:
    operator: rook
    storage-backend: ceph
    app.kubernetes.io/name: rook-ceph
    app.kubernetes.io/instance: rook-ceph
    app.kubernetes.io/component: rook-ceph-operator
    app.kubernetes.io/part-of: rook-ceph-operator
spec:
  selector:
    matchLabels:
      app: rook-ceph-operator
  strategy:
    type: Recreate
  replicas: 1
  template:
    metadata:
      labels:
        app: rook-ceph-operator
    spec:
      serviceAccountName: rook-ceph-system
      containers:
        - name: rook-ceph-operator
          image: "${rook_ceph_image_operator}"
          imagePullPolicy: ${rook_ceph_image_pull_policy}
          args: ["ceph", "operator"]
          securityContext:
            runAsNonRoot: true
            runAsUser: 2016
            runAsGroup: 2016
          volumeMounts:
            - {mountPath: /var/lib/rook, name: rook-config}
            - {mountPath: /etc/ceph, name: default-config-dir}
            - {mountPath: /etc/webhook, name: webhook-cert}
          ports:
            - {containerPort: 9443, name: https-webhook, protocol: TCP}
          env:
            - {name: ROOK_CURRENT_NAMESPACE_ONLY, value: "false"}
            - {name: ROOK_DISCOVER_DEVICES_INTERVAL, value: "60m"}
            - {name: ROOK_HOSTPATH_REQUIRES_PRIVILEGED, value: "false"}
            - {name: ROOK_DISABLE_DEVICE_HOTPLUG, value: "false"}
            - {name: DISCOVER_DAEMON_UDEV_BLACKLIST, value: "(?i)dm-[0-9]+,(?i)rbd[0-9]+,(?i)nbd[0-9]+"}
            - {name: ROOK_UNREACHABLE_NODE_TOLERATION_SECONDS, value: "5"}
            - name: NODE_NAME
              valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
            - name: POD_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            - name: POD_NAMESPACE
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
      volumes:
        - {name: rook-config, emptyDir: {}}
        - {name: default-config-dir, emptyDir: {}}
        - {name: webhook-cert, emptyDir: {}}
