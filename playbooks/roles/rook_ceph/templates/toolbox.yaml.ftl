<#-- The toolbox (Deployment rook-ceph-tools, run `ceph status` in it): writes ceph.conf from the monitors' endpoints
     and the admin keyring, and rewrites ceph.conf when the endpoints change (as rook's deploy/examples/toolbox.yaml). -->
apiVersion: apps/v1
kind: Deployment
metadata:
  name: rook-ceph-tools
  namespace: rook-ceph
  labels:
    app: rook-ceph-tools
spec:
  replicas: 1
  selector:
    matchLabels:
      app: rook-ceph-tools
  template:
    metadata:
      labels:
        app: rook-ceph-tools
    spec:
      dnsPolicy: ClusterFirstWithHostNet
      containers:
        - name: rook-ceph-tools
          image: "${rook_ceph_image_ceph}"
          imagePullPolicy: ${rook_ceph_image_pull_policy}
          command:
            - /bin/bash
            - -c
            - |
              conf() {
                printf '[global]\nmon_host = %s\n\n[client.admin]\nkeyring = /etc/ceph/keyring\n' \
                  "$(sed 's/[a-z0-9_-]\+=//g' /etc/rook/mon-endpoints)" > /etc/ceph/ceph.conf
              }
              secret=$ROOK_CEPH_SECRET
              [ -n "$secret" ] || secret=$(cat /var/lib/rook-ceph-mon/secret.keyring)
              printf '[%s]\nkey = %s\n' "$ROOK_CEPH_USERNAME" "$secret" > /etc/ceph/keyring
              conf
              seen=$(stat -L -c %Z /etc/rook/mon-endpoints)
              while sleep 10; do
                now=$(stat -L -c %Z /etc/rook/mon-endpoints)
                if [ "$now" != "$seen" ]; then conf; seen=$now; fi
              done
          tty: true
          securityContext:
            runAsNonRoot: true
            runAsUser: 2016
            runAsGroup: 2016
          env:
            - name: ROOK_CEPH_USERNAME
              valueFrom:
                secretKeyRef: {name: rook-ceph-mon, key: ceph-username}
          volumeMounts:
            - {mountPath: /etc/ceph, name: ceph-config}
            - {mountPath: /etc/rook, name: mon-endpoint-volume}
            - {mountPath: /var/lib/rook-ceph-mon, name: ceph-admin-secret, readOnly: true}
      volumes:
        - name: ceph-admin-secret
          secret:
            secretName: rook-ceph-mon
            optional: false
            items: [{key: ceph-secret, path: secret.keyring}]
        - name: mon-endpoint-volume
          configMap:
            name: rook-ceph-mon-endpoints
            items: [{key: data, path: mon-endpoints}]
        - {name: ceph-config, emptyDir: {}}
      tolerations:
        - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
